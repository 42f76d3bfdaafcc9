import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
const P = Number(readFileSync('/tmp/office/port', 'utf8'));
const dev = `http://127.0.0.1:${P + 5}`;
const O = 'minsk-nezavisimosti-10';
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const pages: [string, string, string][] = [
    ['home', `/office/${O}`, O], ['handout', `/office/${O}/handout`, O], ['handout-refused', `/office/${O}/handout?code=ZZZZ-ZZZZ`, O],
    ['stock', `/office/${O}/stock`, O], ['forbidden', `/office/gomel-sovetskaya-21`, O],
    ['admin-offices', '/admin/offices', 'admin'], ['admin-rules', '/admin/reward-rules', 'admin'], ['admin-stock', '/admin/stock', 'admin'], ['admin-chooser', '/office', 'admin'],
  ];
  for (const [w, h, tag] of [[768, 1024, 'tablet'], [1280, 800, 'desktop']] as const) {
    for (const lang of tag === 'tablet' ? ['en', 'be', 'ru'] : ['en']) {
      const ctx = await b.newContext({ viewport: { width: w, height: h } });
      for (const [name, path, who] of pages) {
        const p = await ctx.newPage();
        await p.setExtraHTTPHeaders({ 'x-who': who });
        const res = await p.goto(`${dev}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await p.waitForTimeout(300);
        const v = (await new AxeBuilder({ page: p }).analyze()).violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
        const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        console.log(tag, lang, name, res?.status(), 'axe', v.map((x) => `${x.id}:${x.nodes.map((n) => n.target.join(' ')).join(',')}`).join(' | ') || 'ok', 'overflow', over);
        if (lang === 'en') await p.screenshot({ path: `/tmp/office/${name}-${tag}.png`, fullPage: true });
        await p.close();
      }
      await ctx.close();
    }
  }
  await b.close();
})().catch((e) => { console.error(e); process.exit(1); });

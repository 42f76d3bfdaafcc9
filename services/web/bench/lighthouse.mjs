#!/usr/bin/env node
// `npm run bench -w @bfi/web`: Lighthouse 12.2.3 (mobile profile, its default) on the campaign
// and donate pages of a fresh embedded suite, run against Debian Chromium; plus the JavaScript
// the donate page ships, gzipped. Numbers are printed, never asserted (a busy machine moves them).
// Goals (issue #12): performance ≥ 95, accessibility 100, best practices ≥ 95, donate JS ≤ 60 KB.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const ROOT = resolve(
  import.meta.dirname ?? new URL('.', import.meta.url).pathname,
  '..',
  '..',
  '..',
);
const chromePath = execFileSync(process.execPath, [join(ROOT, 'infra', 'chromium.mjs')])
  .toString()
  .trim();
const base = Number(process.env.BENCH_PORT ?? 24001);
const dataDir = mkdtempSync(join(tmpdir(), 'web-bench-'));

const suite = spawn(
  process.execPath,
  ['--import', 'tsx', join(ROOT, 'services/suite/src/start.ts')],
  {
    cwd: ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: '',
      PORT: String(base),
      EMBEDDED_PG_PORT: String(Number(process.env.BENCH_PG_PORT ?? 24431)),
      FAKE_STRIPE_PORT: '0',
      FAKE_PAYPAL_PORT: '0',
      FAKE_SMTP_PORT: '0',
      MAIL_INBOX_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const web = await new Promise((done, fail) => {
  let out = '';
  suite.stdout.on('data', (c) => {
    out += c;
    const m = /Open the donor pages: (\S+)/.exec(out);
    if (m && out.includes('Ctrl+C stops everything')) done(m[1]);
  });
  suite.once('exit', (code) => fail(new Error(`the suite exited (${code})`)));
});

async function donateJsGzipped() {
  const html = await (await fetch(`${web}/donate?lang=be`)).text();
  let total = 0;
  for (const [, src] of html.matchAll(/<script[^>]+src="([^"]+)"/g)) {
    total += gzipSync(Buffer.from(await (await fetch(new URL(src, web))).arrayBuffer())).length;
  }
  return total;
}

const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const rows = [];
  for (const path of ['/?lang=be', '/donate?lang=be']) {
    // A first load warms tsx and the page's API calls, as a running server would be.
    await fetch(web + path);
    const result = await lighthouse(web + path, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
    });
    const c = result.lhr.categories;
    rows.push({
      page: path,
      performance: Math.round(c.performance.score * 100),
      accessibility: Math.round(c.accessibility.score * 100),
      'best-practices': Math.round(c['best-practices'].score * 100),
      LCP_ms: Math.round(result.lhr.audits['largest-contentful-paint'].numericValue),
    });
  }
  console.table(rows);
  console.log(`donate page JavaScript, gzipped: ${(await donateJsGzipped()) / 1000} KB`);
} finally {
  await chrome.kill();
  process.kill(-suite.pid, 'SIGTERM');
  await new Promise((r) => suite.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}

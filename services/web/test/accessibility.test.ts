import type { Page } from 'playwright-core';
import {
  api,
  OFFICE,
  payByCard,
  phone,
  useBrowser,
  screenshot,
  seriousViolations,
} from './support/browser';

const env = useBrowser();
let thanksPath: string;
let posterUrl: string;
beforeAll(async () => {
  const points = (
    await api(env.s.urls.payment, `/offices/${OFFICE.id}/points`, { key: env.s.keys.admin })
  ).body;
  posterUrl = points.find((p: { kind: string }) => p.kind === 'poster').posterUrl;
  // One paid online gift, for the thank-you and digital-pack pages.
  const page = await phone(env.browser);
  await page.goto(`${env.s.urls.web}/donate?lang=en`);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL((u) => !u.href.startsWith(env.s.urls.web));
  await payByCard(page);
  await page.locator('#digital-pack').waitFor({ timeout: 30000 });
  thanksPath = new URL(page.url()).pathname;
  await page.context().close();
});

const PAGES: [string, () => string][] = [
  ['campaign', () => '/'],
  ['donate', () => '/donate'],
  ['donate-office', () => posterUrl.slice(env.s.urls.web.length)],
  ['thanks', () => thanksPath],
  ['stickers', () => '/stickers'],
  ['not-found', () => '/no-such-page'],
];

async function open(page: Page, path: string, locale: string): Promise<void> {
  await page.goto(`${env.s.urls.web}${path}${path.includes('?') ? '&' : '?'}lang=${locale}`);
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

describe.each(['be', 'ru', 'en'])('in %s, at 360 px', (locale) => {
  it.each(PAGES)(
    'the %s page has no serious or critical axe violation and nothing wider than the phone',
    async (name, path) => {
      const page = await phone(env.browser, locale);
      await open(page, path(), locale);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      expect(await seriousViolations(page)).toEqual([]);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `${name}-${locale}`);
      await page.context().close();
    },
  );
});

describe('the language switch', () => {
  it('is on every page, keeps the page and its query, and the choice sticks for the next page', async () => {
    const page = await phone(env.browser, 'en-US');
    await page.goto(`${env.s.urls.web}${thanksPath}?s=secret-1`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('link', { name: 'Русский' }).click();
    expect(new URL(page.url()).pathname).toBe(thanksPath);
    expect(new URL(page.url()).searchParams.get('s')).toBe('secret-1');
    await page.getByText('Спасибо!').first().waitFor();
    await page.goto(`${env.s.urls.web}/donate`);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
  });
});

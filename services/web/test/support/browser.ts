import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface Suite {
  dataDir: string;
  /** inbox: the local mail catcher's page (`/mails.json` lists what was sent). */
  urls: {
    web: string;
    payment: string;
    ledger: string;
    reward: string;
    inbox: string;
    oidc: string;
  };
  /** A free port for a second web process (the short-session test); the provider accepts it. */
  spareWebPort: number;
  keys: { admin: string; staff: Record<string, string> };
}

export function suite(): Suite {
  const s = JSON.parse(readFileSync(process.env.WEB_SUITE_FILE!, 'utf8')) as Omit<Suite, 'keys'>;
  const keys = JSON.parse(readFileSync(join(s.dataDir, 'demo-keys.json'), 'utf8')) as Suite['keys'];
  return { ...s, keys };
}

export const OFFICE = {
  id: 'minsk-nezavisimosti-10',
  name: 'MTS office, Minsk, Nezavisimosti Ave 10',
};

/** Same launch arguments as infra/chromium.mjs. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A phone-sized page (360 px wide) whose browser asks for `locale`. */
export async function phone(browser: Browser, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale });
  return context.newPage();
}

export const OUTPUT_DIR = join(__dirname, '..', '..', 'test-output');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical findings on the page, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function api(
  base: string,
  path: string,
  init: { method?: string; key?: string; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies ad hoc
): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Pays on the fake Stripe checkout page (HTML, like Stripe's) and lands back on our page. */
export async function payByCard(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(/\/thanks\//);
}

export async function payByPayPal(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Approve and pay' }).click();
  await page.waitForURL(/\/thanks\//);
}

/** One browser per test file (closed after it) and the embedded suite's URLs and keys. */
export function useBrowser(): { s: Suite; browser: Browser } {
  const env = {} as { s: Suite; browser: Browser };
  beforeAll(async () => {
    env.s = suite();
    env.browser = await launch();
  });
  afterAll(async () => {
    await env.browser?.close();
  });
  return env;
}

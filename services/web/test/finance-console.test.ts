import type { Browser, Page } from 'playwright-core';
import pdfParse from 'pdf-parse';
import {
  api,
  payByCard,
  phone,
  screenshot,
  seriousViolations,
  useBrowser,
} from './support/browser';
import { signIn } from './support/signin';

// The finance officer's day: sign in, reconcile the period (the run page's bar follows the
// ledger's progress), download the run's CSV and PDF, refund a gift, see the totals move.
// Office staff are refused at /finance (page) and by the services (their token).

const env = useBrowser();

const DESKTOP = { width: 1280, height: 900 };
const TABLET = { width: 768, height: 1024 };

async function desktop(browser: Browser, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US', acceptDownloads: true });
  return context.newPage();
}

/** A paid online card gift of `amount` BYN; its donation id. */
async function gift(amount: string): Promise<string> {
  const page = await phone(env.browser);
  await page.goto(`${env.s.urls.web}/donate?lang=en`);
  await page.getByLabel('Other amount').fill(amount);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL((u) => !u.href.startsWith(env.s.urls.web));
  await payByCard(page);
  await page.getByText('Your gift has arrived. Thank you!').waitFor({ timeout: 30000 });
  const id = new URL(page.url()).pathname.split('/')[2]!;
  await page.context().close();
  return id;
}

/** The BYN net of the totals table (by currency) as the page shows it. */
async function netShown(page: Page): Promise<string> {
  await page.goto(`${env.s.urls.web}/finance?groupBy=currency&lang=en`);
  return (await page.locator('td[data-net="BYN"]').first().textContent())!.trim();
}

const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 86400_000).toISOString().slice(0, 10);

let donationId: string;
let page: Page;

beforeAll(async () => {
  donationId = await gift('40.00');
  page = await desktop(env.browser);
  await signIn(page, 'finance');
});

afterAll(async () => {
  await page?.context().close();
});

test('finance reconciles the period: import from the provider, a run with its progress, CSV and PDF', async () => {
  // The ledger has the gift once its event arrives.
  await page.goto(`${env.s.urls.web}/finance/donations/${donationId}?lang=en`);
  await page.locator('#payment-status', { hasText: 'succeeded' }).waitFor();

  await page.goto(`${env.s.urls.web}/finance/reconciliation?lang=en`);
  const importForm = page.locator('form[action="/finance/statements/import"]');
  await importForm.getByLabel('From').fill(today());
  await importForm.getByLabel('To (exclusive)').fill(tomorrow());
  await importForm.getByLabel('Provider').selectOption('stripe');
  await importForm.getByRole('button', { name: 'Import' }).click();
  await page.getByText(/^Imported: \d+ new/).waitFor();

  const runForm = page.locator('form[action="/finance/reconciliation/runs"]');
  await runForm.getByLabel('From').fill(today());
  await runForm.getByLabel('To (exclusive)').fill(tomorrow());
  await runForm.getByLabel('Provider').selectOption('stripe');
  await runForm.getByRole('button', { name: 'Start the run' }).click();
  await page.waitForURL(/\/finance\/reconciliation\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').pop()!;

  // What the bar polls: the ledger's run, with the expected total once it has counted it.
  const polled = await page.request.get(
    `${env.s.urls.web}/finance/reconciliation/runs/${runId}/progress`,
  );
  expect(polled.status()).toBe(200);
  const progress = await polled.json();
  expect(['running', 'completed']).toContain(progress.status);
  if (progress.status === 'running' && progress.progress?.total !== undefined)
    expect(progress.progress.processed).toBeLessThanOrEqual(progress.progress.total + 10);

  await page.locator('#run-status', { hasText: 'completed' }).waitFor({ timeout: 60000 });
  const summary = (await page.locator('#run-summary').textContent())!;
  expect(summary).toMatch(/Lines: [1-9]\d*/);
  await screenshot(page, 'finance-run-desktop');

  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#download-csv').click(),
  ]);
  const csv = await (await csvDownload.createReadStream()).toArray();
  const csvText = Buffer.concat(csv).toString('utf8');
  expect(csvDownload.suggestedFilename()).toBe(`reconciliation-${runId}.csv`);
  expect(csvText.split('\n')[0]).toMatch(/line_no|status/);
  // The gift's charge is a line of the run.
  const donation = await api(env.s.urls.payment, `/donations/${donationId}`);
  const refs = Object.values(donation.body.providerRefs as Record<string, string>);
  expect(refs.some((r) => csvText.includes(r))).toBe(true);

  const [pdfDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#download-pdf').click(),
  ]);
  const pdf = Buffer.concat(await (await pdfDownload.createReadStream()).toArray());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pdfText = (await pdfParse(pdf)).text.replace(/\s+/g, ' ');
  expect(pdfText).toContain(runId.slice(0, 8));
});

test('finance refunds part of a gift after confirming, and the totals move by that amount', async () => {
  const before = await netShown(page);
  await page.goto(`${env.s.urls.web}/finance/donations/${donationId}?lang=en`);
  await page.getByLabel('Amount to refund (BYN)').fill('15.00');
  await page.getByRole('button', { name: 'Review the refund' }).click();
  await page.getByRole('heading', { name: 'Confirm the refund' }).waitFor();
  await page.getByText(/Refund 15\.00 BYN of donation/).waitFor();
  await screenshot(page, 'finance-refund-confirm-desktop');
  await page.getByRole('button', { name: 'Yes, refund' }).click();
  await page.getByText('Refunded 15.00 BYN.').waitFor();
  await page.locator('#payment-refunded', { hasText: '15.00 BYN' }).waitFor();

  // The ledger posts it from payment's event: the net falls by exactly 15.00.
  const parse = (s: string) => Math.round(Number(s.replace(/[^\d.]/g, '')) * 100);
  const expected = parse(before) - 1500;
  for (let i = 0; i < 60 && parse(await netShown(page)) !== expected; i++)
    await page.waitForTimeout(500);
  expect(parse(await netShown(page))).toBe(expected);
  await page.goto(`${env.s.urls.web}/finance/donations/${donationId}?lang=en`);
  await page.getByRole('cell', { name: 'refund', exact: true }).waitFor();
});

test('every finance page is axe-clean and keeps to the screen at tablet and desktop width', async () => {
  const paths: [string, string][] = [
    ['totals', '/finance?groupBy=day'],
    ['journal', '/finance/journal'],
    ['story', `/finance/donations/${donationId}`],
    ['reconciliation', '/finance/reconciliation'],
    ['flagged', '/finance/flagged'],
    ['dead-letters', '/finance/dead-letters'],
    ['audit', '/finance/audit'],
  ];
  const check = async (path: string, lang: string) => {
    await page.goto(`${env.s.urls.web}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    expect(await seriousViolations(page)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  };
  for (const viewport of [TABLET, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const [name, path] of paths) {
      await check(path, 'en');
      await screenshot(page, `finance-${name}-${viewport.width}`);
    }
  }
  // Belarusian and Russian words are longer: the widest pages again in both.
  for (const lang of ['be', 'ru'])
    for (const path of ['/finance?groupBy=day', '/finance/reconciliation']) await check(path, lang);
  await page.goto(`${env.s.urls.web}/finance/audit?lang=en`);
  await page.getByText(/The hash chain is intact: \d+ entries checked\./).waitFor();
}, 300_000);

test('office staff are refused at /finance: the page and its actions', async () => {
  const staff = await desktop(env.browser);
  const officeId = Object.keys(env.s.keys.staff)[0]!;
  await signIn(staff, `staff-${officeId}`);
  const res = await staff.goto(`${env.s.urls.web}/finance?lang=en`);
  expect(res?.status()).toBe(403);
  const refunded = await staff.request.post(
    `${env.s.urls.web}/finance/donations/${donationId}/refund`,
    { form: { amountMinor: '100' } },
  );
  expect(refunded.status()).toBe(403);
  // The services' own refusal of a staff person token: test/finance-api.test.ts.
  await staff.context().close();
});

// The office console in a real Chromium, signed in through the real OpenID provider: a counter
// donation paid by a donor on their own phone, shown paid with its reward live; the pack
// handed out by a typed code and by the camera (Chromium's fake camera playing the donor's QR);
// the stock down by one each time; staff of another office refused at the page and the API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  api,
  OFFICE,
  payByCard,
  phone,
  screenshot,
  seriousViolations,
  useBrowser,
} from './support/browser';
import { qrY4m } from './support/fake-camera';
import { signIn } from './support/signin';

const OTHER_OFFICE = 'gomel-sovetskaya-21';
const env = useBrowser();
const TABLET = { width: 768, height: 1024 };
const console_ = () => `${env.s.urls.web}/office/${OFFICE.id}`;

async function staffPage(browser: Browser, office = OFFICE.id): Promise<Page> {
  const context = await browser.newContext({ viewport: TABLET, locale: 'en-US' });
  const page = await context.newPage();
  await signIn(page, `staff-${office}`);
  return page;
}

async function shelf(page: Page): Promise<number> {
  return Number(await page.locator('#stock-shelf').textContent());
}

/** The donor scans the counter QR (its URL, read from the console's own answer) and pays. */
async function donorPays(url: string): Promise<string> {
  const donor = await phone(env.browser);
  await donor.goto(`${url}&lang=en`);
  await donor.getByRole('button', { name: 'Continue to payment' }).click();
  await donor.waitForURL((u) => !u.href.startsWith(env.s.urls.web));
  await payByCard(donor);
  const code = donor.locator('#claim-code');
  await code.waitFor({ timeout: 30000 });
  const text = (await code.textContent())!.trim();
  await donor.context().close();
  return text;
}

/** A counter QR made through the console page; returns its URL as the QR carries it. */
async function counterDonation(page: Page, amount: string): Promise<string> {
  await page.goto(`${console_()}?lang=en`);
  await page.getByLabel('Amount').fill(amount);
  await page.getByRole('button', { name: 'Show the QR code' }).click();
  await page.waitForURL(/\/counter\//);
  const [pointId, intentId] = new URL(page.url()).pathname.split('/').slice(-2);
  const intent = await api(env.s.urls.payment, `/donation-points/${pointId}/intents/${intentId}`, {
    key: env.s.keys.admin,
  });
  expect(intent.body.state).toBe('waiting');
  return intent.body.url as string;
}

describe('office console', () => {
  let staff: Page;
  let dashboard: Page;
  let before: number;
  beforeAll(async () => {
    staff = await staffPage(env.browser);
    dashboard = await staff.context().newPage();
    await dashboard.goto(`${env.s.urls.web}/office?lang=en`);
    await dashboard.waitForURL(console_() + '?lang=en');
    before = await shelf(dashboard);
  });

  it('a counter donation: QR with countdown, paid on the donor’s phone, shown paid with the reward — live', async () => {
    const url = await counterDonation(staff, '15');
    expect(await staff.locator('#counter-amount').textContent()).toBe('15.00 BYN');
    await staff
      .locator('#countdown')
      .filter({ hasText: /^\d+:\d\d$/ })
      .waitFor();
    expect(await staff.locator('#counter-status').textContent()).toBe(
      'Waiting for the donor to scan and pay…',
    );
    expect(await seriousViolations(staff)).toEqual([]);
    await screenshot(staff, 'office-counter-waiting-tablet');
    await donorPays(url);
    await staff.getByText('Paid. Thank you!').waitFor({ timeout: 30000 });
    await staff
      .locator('#counter-reward')
      .filter({ hasText: 'Reward: one sticker pack' })
      .waitFor({ timeout: 30000 });
    await screenshot(staff, 'office-counter-paid-tablet');
  });

  it('hands out by typed code: what to hand over, confirm, done; a second try is refused in words; the shelf is one down', async () => {
    const url = await counterDonation(staff, '12.50');
    const code = await donorPays(url);
    await staff.goto(`${console_()}/handout?lang=en`);
    await staff.getByRole('textbox', { name: 'Claim code' }).fill(code.toLowerCase());
    await staff.getByRole('button', { name: 'Check the code' }).click();
    await staff.getByRole('heading', { name: 'Hand over: 1 sticker pack' }).waitFor();
    await screenshot(staff, 'office-handout-check-tablet');
    await staff.getByRole('button', { name: 'Confirm: I handed over the pack' }).click();
    await staff.getByText('Handed out. Thank you!').waitFor();
    await staff.goto(`${console_()}/handout?lang=en&code=${encodeURIComponent(code)}`);
    await staff.getByText('This code was already used: the pack has been handed out.').waitFor();
    // The dashboard opened before any of this follows by itself (no reload).
    await dashboard.waitForFunction(
      (n) => Number(document.querySelector('#stock-shelf')?.textContent) === n,
      before - 1,
      { timeout: 30000 },
    );
    await screenshot(dashboard, 'office-home-tablet');
  });

  it('hands out by scanning the donor’s QR with the camera; the shelf is one down again', async () => {
    const url = await counterDonation(staff, '20');
    const code = await donorPays(url);
    const video = join(mkdtempSync(join(tmpdir(), 'office-cam-')), 'claim.y4m');
    qrY4m(video, code);
    const camera = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const page = await staffPage(camera);
      await page.context().grantPermissions(['camera'], { origin: env.s.urls.web });
      await page.goto(`${console_()}/handout?lang=en`);
      await page
        .getByRole('heading', { name: 'Hand over: 1 sticker pack' })
        .waitFor({ timeout: 30000 });
      expect(await page.locator('#checked-code').textContent()).toBe(`Claim code ${code}`);
      await page.getByRole('button', { name: 'Confirm: I handed over the pack' }).click();
      await page.getByText('Handed out. Thank you!').waitFor();
    } finally {
      await camera.close();
    }
    await dashboard.waitForFunction(
      (n) => Number(document.querySelector('#stock-shelf')?.textContent) === n,
      before - 2,
      { timeout: 30000 },
    );
    await staff.goto(`${console_()}/stock?lang=en`);
    await staff.getByRole('cell', { name: 'Handed out' }).first().waitFor();
  });

  it('receives a delivery and refuses an adjustment below zero in words', async () => {
    await staff.goto(`${console_()}/stock?lang=en`);
    const free = Number(await staff.locator('#stock-free').textContent());
    await staff.getByLabel('Packs delivered').fill('5');
    await staff.getByRole('button', { name: 'Record' }).first().click();
    await staff.getByText('Saved.').waitFor();
    expect(Number(await staff.locator('#stock-free').textContent())).toBe(free + 5);
    await staff.getByLabel('Packs added (+) or removed (−)').fill(String(-(free + 6)));
    await staff.getByLabel('Reason').fill('inventory check');
    await staff.getByRole('button', { name: 'Record' }).nth(1).click();
    await staff.getByText('There are not that many free packs on the shelf.').waitFor();
    expect(await seriousViolations(staff)).toEqual([]);
    await screenshot(staff, 'office-stock-tablet');
  });

  afterAll(async () => {
    await staff?.context().close();
  });
});

describe('staff of another office', () => {
  it('gets a 403 page for office A’s console, and the service refuses office A’s claim code', async () => {
    const other = await staffPage(env.browser, OTHER_OFFICE);
    const res = await other.goto(`${console_()}?lang=en`);
    expect(res!.status()).toBe(403);
    await other.getByText(`this console is only for the staff of ${OTHER_OFFICE}`).waitFor();
    const stream = await other.goto(`${console_()}/events`);
    expect(stream!.status()).toBe(403);
    // At the API: office A's claim code checked from B's own console goes to reward with B's
    // person token, and reward refuses it for B's office.
    const url = (
      await api(env.s.urls.payment, `/donation-points/${await counterPointId()}/intents`, {
        method: 'POST',
        key: env.s.keys.staff[OFFICE.id],
        body: { amount: 1500, currency: 'BYN' },
      })
    ).body.url as string;
    const code = await donorPays(url);
    const check = await other.goto(
      `${env.s.urls.web}/office/${OTHER_OFFICE}/handout?lang=en&code=${encodeURIComponent(code)}`,
    );
    expect(check!.status()).toBe(403);
    await other.getByText('This claim code belongs to another office').waitFor();
    await screenshot(other, 'office-refused-other-office-tablet');
    await other.context().close();
  });
});

async function counterPointId(): Promise<string> {
  const points = await api(env.s.urls.payment, `/offices/${OFFICE.id}/points`, {
    key: env.s.keys.admin,
  });
  return points.body.find((p: { kind: string }) => p.kind === 'counter').id as string;
}

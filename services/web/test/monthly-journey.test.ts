// The "must show" in real headless Chromium against the embedded suite: a monthly gift
// set up on the donate page (phone), paid on the fake Stripe's checkout, two installments by the
// fake provider's clock, two receipt e-mails in the local inbox (each with the manage link), the
// manage page with both installments, an amount change, and the cancellation — after which the
// provider's clock charges nothing more.
import {
  api,
  payByCard,
  phone,
  screenshot,
  seriousViolations,
  useBrowser,
} from './support/browser';
import { signIn } from './support/signin';

const env = useBrowser();
const STRIPE_KEY = { authorization: 'Bearer sk_test_web_monthly' };

interface InboxMail {
  id: string;
  envelope: { to: string[] };
  subject: string;
  text: string;
}

async function mailsTo(address: string, count: number, tries = 600): Promise<InboxMail[]> {
  let mails: InboxMail[] = [];
  for (let i = 0; i < tries && mails.length < count; i++) {
    const all = (await (await fetch(`${env.s.urls.inbox}/mails.json`)).json()) as InboxMail[];
    mails = all.filter((m) => m.envelope.to.includes(address));
    if (mails.length < count) await new Promise((r) => setTimeout(r, 100));
  }
  return mails;
}

async function advance(stripeUrl: string, subscription: string) {
  const res = await fetch(`${stripeUrl}/v1/test_helpers/subscriptions/${subscription}/advance`, {
    method: 'POST',
    headers: STRIPE_KEY,
  });
  expect(res.status).toBe(200);
}

it('a monthly gift from the donate page: two installments, two receipts, change, cancel', async () => {
  const to = `web-monthly-${Date.now()}@donor.test`;
  const page = await phone(env.browser);
  await page.goto(`${env.s.urls.web}/donate?lang=en`);
  await page.getByRole('radio', { name: 'Every month' }).check();
  await page.getByLabel('Other amount').fill('15');
  await page.getByLabel('E-mail for the receipt (optional)').fill(to);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
  const checkout = new URL(page.url());
  const stripeUrl = checkout.origin;
  const sessionId = checkout.pathname.split('/').pop()!;
  await payByCard(page);

  // The thank-you page of the first installment links the manage page.
  const manage = page.getByRole('link', { name: 'Manage your monthly gift' });
  await manage.waitFor();
  expect(await page.getByText('This is installment 1 of your monthly gift.').count()).toBe(1);
  await screenshot(page, 'monthly-thanks');

  const session = await (
    await fetch(`${stripeUrl}/v1/checkout/sessions/${sessionId}`, { headers: STRIPE_KEY })
  ).json();
  expect(session.mode).toBe('subscription');
  const first = await mailsTo(to, 1);
  expect(first).toHaveLength(1);
  await advance(stripeUrl, session.subscription);
  const mails = await mailsTo(to, 2);
  expect(mails).toHaveLength(2);
  for (const mail of mails) expect(mail.text).toMatch(/\/monthly\/[\w-]+\.[\w-]+\.[\w-]+/);
  const token = /\/monthly\/([\w-]+\.[\w-]+\.[\w-]+)/.exec(mails[1]!.text)![1]!;

  // The link in the e-mail opens the manage page on this web.
  await page.goto(`${env.s.urls.web}/monthly/${token}?lang=en`);
  await page.locator('#monthly-status', { hasText: 'Active' }).waitFor();
  expect(await page.locator('table.installments tbody tr').count()).toBe(2);
  expect(await page.locator('#monthly-amount').innerText()).toContain('15');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel('New amount each month (BYN)').fill('20');
  await page.getByRole('button', { name: 'Change the amount' }).click();
  await page.getByText(/from the next charge on, .*20.* a month/).waitFor();
  expect(await page.locator('#monthly-amount').innerText()).toContain('20');

  await page.getByRole('link', { name: 'Cancel the monthly gift…' }).click();
  await page
    .getByText('Nothing more will be charged after you confirm.', { exact: false })
    .waitFor();
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await page
    .getByText('Your monthly gift is cancelled. Nothing more will be charged.', { exact: false })
    .waitFor();
  expect(await page.locator('#monthly-status').innerText()).toBe('Cancelled');
  expect(await page.locator('#monthly-next').innerText()).toBe('No further charge');
  await screenshot(page, 'monthly-cancelled');

  // The provider's clock moves on: nothing is charged, no third receipt.
  const again = await fetch(
    `${stripeUrl}/v1/test_helpers/subscriptions/${session.subscription}/advance`,
    { method: 'POST', headers: STRIPE_KEY },
  );
  expect(again.status).toBeLessThan(500);
  await new Promise((r) => setTimeout(r, 1500)); // room for a wrong third mail to arrive
  expect(await mailsTo(to, 3, 1)).toHaveLength(2);
  const view = await api(env.s.urls.payment, `/subscriptions/manage/${token}`);
  expect(view.body.status).toBe('cancelled');
  expect(view.body.installments).toHaveLength(2);
  await page.context().close();

  // Finance sees the two installments as monthly giving and, the gift cancelled, no BYN run-rate.
  const console = await phone(env.browser);
  await signIn(console, 'finance');
  const monthlyCell = console
    .locator('#giving tbody tr', { hasText: 'BYN' })
    .locator('td.num')
    .nth(1);
  let shown = '';
  for (let i = 0; i < 60 && !shown.includes('2 gifts'); i++) {
    await console.goto(`${env.s.urls.web}/finance?lang=en`);
    shown = (await monthlyCell.innerText()).replace(/\s+/g, ' ');
    if (!shown.includes('2 gifts')) await new Promise((r) => setTimeout(r, 500));
  }
  expect(shown).toContain('30.00');
  expect(shown).toContain('2 gifts');
  expect(await console.locator('#run-rate-none, #run-rate').first().innerText()).not.toContain(
    'BYN',
  );
  await screenshot(console, 'monthly-finance');
  await console.context().close();
});

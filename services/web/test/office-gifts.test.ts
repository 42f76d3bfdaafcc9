import { createHmac } from 'node:crypto';
import { api, OFFICE, payByCard, phone, useBrowser, screenshot } from './support/browser';

const env = useBrowser();
let points: { id: string; kind: string; posterUrl: string }[];
beforeAll(async () => {
  points = (
    await api(env.s.urls.payment, `/offices/${OFFICE.id}/points`, { key: env.s.keys.admin })
  ).body;
});

/** The embedded demo's QR secret (services/suite): lets the test make tokens a QR could carry. */
const DEMO_QR_SECRET = 'embedded-demo-qr-secret-not-for-production';
function sign(claims: object): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', DEMO_QR_SECRET).update(payload).digest('base64url')}`;
}

async function counterQr(amount: number): Promise<string> {
  const counter = points.find((p) => p.kind === 'counter')!;
  const intent = await api(env.s.urls.payment, `/donation-points/${counter.id}/intents`, {
    method: 'POST',
    key: env.s.keys.staff[OFFICE.id],
    body: { amount, currency: 'BYN' },
  });
  expect(intent.status).toBe(201);
  return intent.body.url as string;
}

describe('a poster QR', () => {
  it('opens the donate page naming the office (in Belarusian when the browser asks), and after paying shows the claim code and its QR', async () => {
    const poster = points.find((p) => p.kind === 'poster')!;
    expect(poster.posterUrl.startsWith(`${env.s.urls.web}/donate?point=`)).toBe(true);
    const page = await phone(env.browser, 'be-BY');
    await page.goto(poster.posterUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('be');
    await page.getByText(`Вы ахвяруеце ў офісе: ${OFFICE.name}.`).waitFor();
    await screenshot(page, 'donate-poster-be');
    await page.getByRole('button', { name: 'Перайсці да аплаты' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    await payByCard(page);
    await page.getByText('Ваша ахвяраванне атрымана. Дзякуй!').waitFor({ timeout: 30000 });
    const code = page.locator('#claim-code');
    await code.waitFor({ timeout: 30000 });
    expect(await code.textContent()).toMatch(/^[A-Z0-9-]{6,}$/);
    expect(await page.locator('#office-name').textContent()).toBe(OFFICE.name);
    const qr = page.locator('img.claim-qr');
    await expect(
      qr.evaluate(
        (img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth,
      ),
    ).resolves.toBeGreaterThan(0);
    const donation = await api(
      env.s.urls.payment,
      `/donations/${new URL(page.url()).pathname.split('/')[2]}`,
    );
    expect(donation.body).toMatchObject({ channel: 'office', officeId: OFFICE.id });
    await screenshot(page, 'thanks-office-be');
  });
});

describe('a counter QR', () => {
  it('shows its fixed amount and office, is paid once, and the second scan is refused with the API’s words', async () => {
    const url = await counterQr(1500);
    const page = await phone(env.browser);
    await page.goto(`${url}&lang=en`);
    await page.getByText('Amount set at the counter: 15.00 BYN').waitFor();
    await page.getByText(`You are giving at ${OFFICE.name}.`).waitFor();
    expect(await page.getByLabel('Other amount').count()).toBe(0);
    await screenshot(page, 'donate-counter-en');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((u) => !u.href.startsWith(env.s.urls.web));
    await payByCard(page);
    await page.getByText('Your gift has arrived. Thank you!').waitFor({ timeout: 30000 });
    expect(await page.locator('#amount').textContent()).toBe('15.00 BYN');

    const again = await phone(env.browser);
    await again.goto(`${url}&lang=en`);
    await again.getByRole('heading', { name: 'This QR code cannot be used' }).waitFor();
    await again.getByText('This counter QR code was already used for a donation').waitFor();
  });

  it('refuses an expired and a forged token readably', async () => {
    const counter = points.find((p) => p.kind === 'counter')!;
    const claims = {
      k: 'intent',
      jti: '00000000-0000-4000-8000-000000000001',
      pid: counter.id,
      oid: OFFICE.id,
      amt: 1000,
      cur: 'BYN',
    };
    const expired = sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en&point=${encodeURIComponent(expired)}`);
    await page
      .getByText('This counter QR code has expired; ask the staff member to show a new one.')
      .waitFor();
    await screenshot(page, 'donate-expired-en');

    const real = new URL(await counterQr(1000)).searchParams.get('point')!;
    const forged = `${real.split('.')[0]}.${'A'.repeat(43)}`;
    await page.goto(`${env.s.urls.web}/donate?lang=en&point=${encodeURIComponent(forged)}`);
    await page.getByText('This QR code was not issued by us').waitFor();
    // Refused, yet the donor can still give online from the same page.
    await page.getByRole('button', { name: 'Continue to payment' }).waitFor();
  });
});

import { formatMoney } from '@bfi/money';
import pdfParse from 'pdf-parse';
import { api, payByCard, payByPayPal, phone, useBrowser, screenshot } from './support/browser';

const env = useBrowser();

async function raisedMinor(currency: string): Promise<number> {
  const totals = await api(env.s.urls.ledger, '/campaign/totals');
  return totals.body.raised.find((r: { currency: string }) => r.currency === currency)?.minor ?? 0;
}

const donationIdOf = (url: string) => new URL(url).pathname.split('/')[2]!;

describe('a card gift from the campaign page', () => {
  it('reaches "succeeded" on the thank-you page, moves the live thermometer by the amount, and gives a receipt PDF', async () => {
    const before = await raisedMinor('BYN');
    const watcher = await phone(env.browser);
    await watcher.goto(`${env.s.urls.web}/?lang=en`);
    await watcher.locator('#raised-title').waitFor();

    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/?lang=en`);
    await page.getByRole('link', { name: 'Donate now' }).click();
    await page.waitForURL(/\/donate/);
    await page.getByLabel('Other amount').fill('25,50');
    await page.getByLabel('Your name for the receipt').fill('Аліна');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    await payByCard(page);

    await page.getByText('Your gift has arrived. Thank you!').waitFor({ timeout: 30000 });
    expect(await page.locator('#amount').textContent()).toBe('25.50 BYN');
    await expect(
      page.getByText('Training specialists who treat victims of cyberbullying').count(),
    ).resolves.toBe(1);
    await expect(page.getByText('8 800 100 16 11').count()).resolves.toBeGreaterThan(0);

    // The page that was open all along moved by itself (SSE), by exactly this gift.
    const expected = formatMoney({ minor: before + 2550, currency: 'BYN' }, 'en');
    await watcher
      .locator('#raised li[data-currency="BYN"]', { hasText: expected })
      .waitFor({ timeout: 30000 });

    // The receipt, in Belarusian: number, amount, fund, donor, helpline.
    const id = donationIdOf(page.url());
    const donation = await api(env.s.urls.payment, `/donations/${id}`);
    const number = donation.body.receipt.number as string;
    expect(number).toMatch(/^BFI-\d{4}-\d{6}$/);
    const href = await page
      .getByRole('link', { name: 'Download the receipt (PDF)' })
      .getAttribute('href');
    const res = await page.request.get(env.s.urls.web + href!.replace('lang=en', 'lang=be'));
    expect(res.headers()['content-type']).toContain('application/pdf');
    // Long lines wrap in the PDF: compare words, not line breaks.
    const text = (await pdfParse(await res.body())).text.replace(/\s+/g, ' ');
    expect(text).toContain(number);
    expect(text).toContain('25,50 BYN');
    expect(text).toContain('Навучанне спецыялістаў, якія дапамагаюць пацярпелым ад кібербулінгу');
    expect(text).toContain('Аліна');
    expect(text).toContain('8 800 100 16 11');
    await screenshot(page, 'thanks-card-en');
  });
});

describe('currencies and PayPal', () => {
  it('hides PayPal for BYN with the reason shown, and offers it again for USD', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en`);
    const paypal = page.getByLabel('PayPal');
    const reason = page.getByText('PayPal does not accept Belarusian rubles (BYN)');
    expect(await paypal.isVisible()).toBe(false);
    expect(await reason.isVisible()).toBe(true);
    await page.getByLabel('USD', { exact: true }).check();
    expect(await paypal.isVisible()).toBe(true);
    expect(await reason.isVisible()).toBe(false);
    await expect(page.getByLabel('10.00 USD').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('25.00 BYN').isVisible()).resolves.toBe(false);
    await page.getByLabel('BYN', { exact: true }).check();
    expect(await paypal.isVisible()).toBe(false);
  });

  it('a PayPal gift in USD ends "succeeded" on the thank-you page', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en`);
    await page.getByLabel('USD', { exact: true }).check();
    await page.getByLabel('10.00 USD').check();
    await page.getByLabel('PayPal').check();
    await page.getByLabel('Give anonymously').check();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    await payByPayPal(page);
    await page.getByText('Your gift has arrived. Thank you!').waitFor({ timeout: 30000 });
    expect(await page.locator('#amount').textContent()).toBe('10.00 USD');
    const donation = await api(env.s.urls.payment, `/donations/${donationIdOf(page.url())}`);
    expect(donation.body).toMatchObject({ provider: 'paypal', status: 'succeeded' });
    expect(donation.body.receipt.donorName).toBeNull();
  });

  it('refuses an amount typed wrongly before anything is sent, and takes "25.50" and "25,50" alike', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en`);
    await page.getByLabel('Other amount').fill('25.505');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByText('Enter an amount such as 25 or 25,50.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/donate');
    await page.getByLabel('Other amount').fill('25.50');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    expect(await page.textContent('body')).toContain('2550 BYN');
  });
});

describe('the digital sticker pack of an online gift', () => {
  it('opens once from the thank-you page and its link leads to the stickers; a second opening is refused', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en`);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    await payByCard(page);
    await page
      .getByRole('link', { name: 'Open your digital sticker pack' })
      .click({ timeout: 30000 });
    const packUrl = page.url();
    await page.getByRole('button', { name: 'Open my sticker pack' }).click();
    await page.getByRole('link', { name: 'Get the stickers' }).click();
    await page.waitForURL(/\/stickers\?pack=/);
    expect(await page.locator('.stickers img').count()).toBe(3);
    const sticker = await page.request.get(`${env.s.urls.web}/static/stickers/heart.svg`);
    expect(sticker.status()).toBe(200);

    await page.goto(packUrl);
    await page.getByRole('button', { name: 'Open my sticker pack' }).click();
    await page.getByRole('heading', { name: 'This pack cannot be opened' }).waitFor();
  });
});

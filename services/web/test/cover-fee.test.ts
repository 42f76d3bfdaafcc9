import { api, payByCard, phone, screenshot, useBrowser } from './support/browser';

// "Add the card fee so all of my gift reaches the fund" in a real Chromium against the embedded
// suite: the checkbox shows payment's estimate for the chosen provider, currency and amount, the
// provider is asked for the gift plus the fee, and the thank-you page shows the covered part.

const env = useBrowser();
const label = (page: import('playwright-core').Page) => page.locator('#cover-fee-label');

describe('cover the fee', () => {
  it('the estimate follows provider, currency and amount; the thank-you page shows the covered part', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en`);
    // Server-rendered for the preselected 25.00 BYN by card: 2.9 % + 0.30 of 26.06 is 1.06.
    expect(await label(page).textContent()).toBe(
      'Add the card fee (≈ 1.06 BYN) so all of my gift reaches the fund',
    );
    await page.getByLabel('50.00 BYN').check();
    await page.getByText('Add the card fee (≈ 1.80 BYN)').waitFor();
    await page.getByLabel('Other amount').fill('100');
    await page.getByText('Add the card fee (≈ 3.30 BYN)').waitFor();
    await page.getByLabel('Other amount').fill('');
    await page.getByLabel('USD', { exact: true }).check();
    await page.getByLabel('50.00 USD').check();
    await page.getByLabel('PayPal').check();
    await page.getByText('Add the card fee (≈ 2.32 USD)').waitFor();
    expect(await page.locator('#cover-fee-hint').textContent()).toContain(
      'For 50.00 USD, 52.32 USD is charged and all of 50.00 USD reaches the fund.',
    );

    await page.getByLabel('BYN', { exact: true }).check();
    await page.getByLabel('50.00 BYN').check();
    await page.getByText('Add the card fee (≈ 1.80 BYN)').waitFor();
    await page
      .getByLabel('Add the card fee (≈ 1.80 BYN) so all of my gift reaches the fund')
      .check();
    await page.getByLabel('Give anonymously').check();
    await screenshot(page, 'donate-cover-fee-en');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    // The fake Stripe's checkout page names the amount it was asked to charge.
    expect(await page.textContent('body')).toContain('5180 BYN');
    await payByCard(page);
    await page.getByText('Your gift has arrived. Thank you!').waitFor({ timeout: 30000 });
    expect(await page.locator('#amount').textContent()).toBe('51.80 BYN');
    expect(await page.locator('#covered-fee').textContent()).toBe('1.80 BYN');
    expect(await page.locator('#gift-to-fund').textContent()).toBe('50.00 BYN');
    await expect(page.getByText('Added to cover the card fee').count()).resolves.toBe(1);
    const id = new URL(page.url()).pathname.split('/')[2]!;
    const donation = await api(env.s.urls.payment, `/donations/${id}`);
    expect(donation.body).toMatchObject({
      amount: { minor: 5180 },
      coveredFee: { minor: 180 },
      fee: { minor: 180 },
    });
    await screenshot(page, 'thanks-cover-fee-en');
  });

  it('without JavaScript the checkbox carries the server-rendered estimate, in Belarusian too', async () => {
    const context = await env.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    await page.goto(`${env.s.urls.web}/donate?lang=be`);
    expect(await label(page).textContent()).toBe(
      'Дадаць камісію за картку (≈ 1,06 BYN), каб усё ахвяраванне паступіла ў фонд',
    );
    await page.goto(`${env.s.urls.web}/donate?lang=ru`);
    expect(await label(page).textContent()).toContain('Добавить комиссию за карту (≈ 1,06 BYN)');
    await context.close();
  });

  it('a gift without the checkbox is charged as given and shows no covered part', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=en`);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    expect(await page.textContent('body')).toContain('2500 BYN');
    await payByCard(page);
    await page.getByText('Your gift has arrived. Thank you!').waitFor({ timeout: 30000 });
    expect(await page.locator('#covered-fee').count()).toBe(0);
  });
});

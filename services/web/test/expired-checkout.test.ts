// A donor who leaves Stripe's checkout unpaid: when Stripe expires the session, the thank-you
// page says so in the donor's language (live, without a reload) and offers a new gift.
import { api, phone, seriousViolations, screenshot, useBrowser } from './support/browser';

const env = useBrowser();

const EXPIRED = {
  be: 'Аплата не была завершана своечасова і скасавана. Грошы не спісаны.',
  ru: 'Оплата не была завершена вовремя и отменена. Деньги не списаны.',
  en: 'The payment was not completed in time and was cancelled. No money was taken.',
};

describe('an abandoned card checkout', () => {
  it('shows "expired" in ru, be and en with a way to try again, once Stripe expires the session', async () => {
    const page = await phone(env.browser, 'ru-RU');
    await page.goto(`${env.s.urls.web}/donate?lang=ru`);
    await page.getByRole('button', { name: 'Перейти к оплате' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    const checkout = new URL(page.url());
    const sessionId = checkout.pathname.split('/').pop()!;
    const stripe = (path: string, method = 'GET') =>
      fetch(`${checkout.origin}/v1/checkout/sessions/${sessionId}${path}`, {
        method,
        headers: { authorization: 'Bearer sk_test_web' },
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    // The page language reached Stripe Checkout, and it is a donation.
    expect(await stripe('')).toMatchObject({ locale: 'ru', submit_type: 'donate' });

    // The donor leaves through the checkout's back link and keeps the page open.
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(/\/thanks\//);
    const donationId = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByText('Ждём подтверждения оплаты…').waitFor();
    expect(await page.getByRole('link', { name: 'Попробовать ещё раз' }).isVisible()).toBe(false);

    // Stripe's clock runs out on the session (here: its expire API): the page changes by itself.
    expect(await stripe('/expire', 'POST')).toMatchObject({ status: 'expired' });
    await page.getByText(EXPIRED.ru).waitFor({ timeout: 30000 });
    const again = page.getByRole('link', { name: 'Попробовать ещё раз' });
    expect(await again.isVisible()).toBe(true);
    // No promise of a receipt for a gift that did not happen.
    expect(await page.locator('#receipt-later').isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'thanks-expired-ru');
    expect((await api(env.s.urls.payment, `/donations/${donationId}`)).body).toMatchObject({
      status: 'expired',
      redirectUrl: null,
    });

    for (const [lang, name, text] of [
      ['be', 'Беларуская', EXPIRED.be],
      ['en', 'English', EXPIRED.en],
    ] as const) {
      await page.getByRole('link', { name }).click();
      await page.getByText(text).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    }
    // "Try again" opens a new donation form in the page language.
    await page.getByRole('link', { name: 'Try again' }).click();
    await page.waitForURL(/\/donate\?lang=en$/);
    await page.getByRole('button', { name: 'Continue to payment' }).waitFor();
  });
});

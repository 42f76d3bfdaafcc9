// Monthly giving in real headless Chromium against the embedded suite: the donate page's
// once / every month choice on a phone (keyboard and screen reader reach it by its label), and
// a manage link that was tampered with gets a page that says so in the donor's language.
import { phone, seriousViolations, useBrowser } from './support/browser';
import { translator } from '../src/i18n';

const env = useBrowser();

describe.each(['be', 'ru', 'en'] as const)('in %s', (locale) => {
  const t = translator(locale);

  it('the donate page offers "once" and "every month" as a radio group, once chosen by default', async () => {
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=${locale}`);
    const group = page.getByRole('group', { name: t('monthly.frequencyLegend') });
    const once = group.getByRole('radio', { name: t('monthly.once') });
    const monthly = group.getByRole('radio', { name: t('monthly.monthly') });
    expect(await once.isChecked()).toBe(true);
    await monthly.check();
    expect(await monthly.isChecked()).toBe(true);
    expect(await once.isChecked()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('a forged manage link is refused with a page the donor can read', async () => {
    const page = await phone(env.browser);
    const answer = await page.goto(
      `${env.s.urls.web}/monthly/eyJhbGciOiJIUzI1NiJ9.forged.sig?lang=${locale}`,
    );
    expect(answer?.status()).toBeGreaterThanOrEqual(400);
    expect(answer?.status()).toBeLessThan(500);
    await page.getByText(t('monthly.errors.link')).waitFor();
    await page.context().close();
  });
});

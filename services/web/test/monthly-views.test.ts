// Monthly giving's pages, rendered in each language from the shapes payment and the ledger
// answer with: no missing message, the installments and next charge shown, the cancel step
// confirms first, and the donate form sends frequency only for a monthly gift.
import { readDonateForm } from '../src/app/donate-form';
import type { SubscriptionView } from '../src/app/monthly-api';
import { clearMissingKeys, LOCALES, missingKeys, translator, type Locale } from '../src/i18n';
import { monthlyBe } from '../src/i18n/locales/monthly.be';
import { monthlyEn } from '../src/i18n/locales/monthly.en';
import { monthlyRu } from '../src/i18n/locales/monthly.ru';
import { blankForm } from '../src/app/donate-form';
import { donatePage } from '../src/views/donate';
import { givingSection } from '../src/views/finance-giving';
import { cancelConfirmPage, manageFragment, monthlyPage } from '../src/views/monthly';
import { loggedPath } from '@bfi/http';
import { money } from '../src/app/present';

const visibleText = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const ctx = (locale: Locale) => ({
  t: translator(locale),
  locale,
  url: '/monthly/tok?lang=' + locale,
  counsellingUrl: 'https://help.example',
});

const subscription: SubscriptionView = {
  id: '5b7d0c1e-2f0a-4c55-8c0e-7a1b2c3d4e5f',
  status: 'active',
  provider: 'stripe',
  fund: 'specialist-training',
  amount: { minor: 1500, currency: 'BYN' },
  donorEmail: 'a***@example.org',
  startedAt: '2026-10-01T09:00:00Z',
  nextChargeAt: '2026-12-01T09:00:00Z',
  cancelledAt: null,
  installments: [
    {
      donationId: 'd1',
      installment: 1,
      amount: { minor: 1500, currency: 'BYN' },
      status: 'succeeded',
      occurredAt: '2026-10-01T09:00:00Z',
    },
    {
      donationId: 'd2',
      installment: 2,
      amount: { minor: 1500, currency: 'BYN' },
      status: 'refunded',
      occurredAt: '2026-11-01T09:00:00Z',
    },
  ],
};
const state = {
  subscription,
  base: '/monthly/tok',
  notice: null,
  amountError: null,
  amountInput: '',
};

function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`),
  );
}

it('the three catalogues have the same keys', () => {
  expect(keysOf(monthlyBe).sort()).toEqual(keysOf(monthlyEn).sort());
  expect(keysOf(monthlyRu).sort()).toEqual(keysOf(monthlyEn).sort());
});

describe.each(LOCALES)('in %s', (locale) => {
  beforeEach(() => clearMissingKeys());
  afterEach(() => expect(missingKeys()).toEqual([]));
  const t = translator(locale);

  it('the manage page shows amount, status, next charge and every installment, with the three actions', () => {
    const page = monthlyPage(ctx(locale), state);
    const text = visibleText(page);
    expect(text).toContain(t('monthly.status.active'));
    expect(page).toMatch(/<table class="installments"/);
    expect(page.match(/<tr>\s*<td>/g)).toHaveLength(2);
    expect(text).toContain(t('monthly.installmentStatus.refunded'));
    expect(text).toContain(t('monthly.installmentStatus.succeeded'));
    expect(page).toContain('action="/monthly/tok/amount?lang=' + locale + '"');
    expect(page).toContain('href="/monthly/tok/cancel?lang=' + locale + '"');
    expect(page).toContain('action="/monthly/tok/annual-summary?lang=' + locale + '"');
    expect(page).toMatch(/<label for="new-amount">/);
  });

  it('cancelling asks first; a cancelled gift says nothing more is charged and offers no actions', () => {
    const confirm = cancelConfirmPage(ctx(locale), state);
    expect(confirm).toContain(t('monthly.confirmText'));
    expect(confirm).toMatch(/<form method="post" action="\/monthly\/tok\/cancel/);
    const cancelled = {
      ...subscription,
      status: 'cancelled' as const,
      cancelledAt: '2026-11-20T10:00:00Z',
    };
    const page = monthlyPage(ctx(locale), {
      ...state,
      subscription: cancelled,
      notice: t('monthly.cancelledNotice'),
    });
    expect(visibleText(page)).toContain(t('monthly.cancelledNotice'));
    expect(visibleText(page)).toContain(t('monthly.noNextCharge'));
    expect(page).not.toContain('/monthly/tok/amount');
    expect(page).not.toContain('/monthly/tok/cancel');
  });

  it('the donate page offers once / every month as a labelled radio group; the thank-you part links the page', () => {
    const page = donatePage(ctx(locale), {
      form: blankForm(),
      point: null,
      pointRefusal: null,
      errors: {},
      serverDetail: null,
    });
    expect(page).toMatch(/<fieldset class="frequency"[^>]*>\s*<legend>/);
    expect(page).toMatch(/name="frequency"\s+value="once"\s+checked/);
    expect(page).toMatch(/name="frequency"\s+value="monthly"/);
    const fragment = manageFragment(ctx(locale), '/monthly/tok', 2).value;
    expect(fragment).toContain('href="/monthly/tok?lang=' + locale + '"');
    expect(visibleText(fragment)).toContain(t('monthly.thanksInstallment', { installment: 2 }));
  });

  it('finance sees one-off vs monthly and the run-rate in the page language', () => {
    const html = givingSection(ctx(locale), {
      funds: [
        {
          fund: 'specialist-training',
          currency: 'BYN',
          oneOff: { count: 1, gross: 2000, reversed: 0, net: 2000 },
          monthly: { count: 2, gross: 3000, reversed: 500, net: 2500 },
        },
      ],
      runRate: [{ currency: 'EUR', minor: 900, subscriptions: 1 }],
    }).value;
    const text = visibleText(html);
    expect(text).toContain(t('financeGiving.runRate'));
    expect(text).toContain(money({ minor: 900, currency: 'EUR' }, locale));
    expect(text).toContain(money({ minor: 2500, currency: 'BYN' }, locale));
    expect(html.match(/<td class="num">/g)).toHaveLength(2);
  });
});

it('the donate form sends frequency "monthly" only for a monthly gift, never at an office counter', () => {
  const t = translator('en');
  const body = { currency: 'BYN', preset_BYN: '1000', provider: 'stripe', idem: 'idem-12345678' };
  const monthly = readDonateForm({ ...body, frequency: 'monthly' }, null, t);
  expect(monthly.ok && monthly.request).toMatchObject({ amount: 1000, frequency: 'monthly' });
  const once = readDonateForm({ ...body, frequency: 'once' }, null, t);
  expect(once.ok && 'frequency' in once.request).toBe(false);
  const point = {
    kind: 'poster' as const,
    office: { id: 'o', name: 'O' },
    pointLabel: 'p',
    amount: null,
    expiresAt: null,
  };
  const office = readDonateForm({ ...body, frequency: 'monthly', point: 'tok' }, point, t);
  expect(office.ok && 'frequency' in office.request).toBe(false);
});

it('the donate form refuses covering the fee on a monthly gift, in the page language', () => {
  const body = {
    currency: 'BYN',
    preset_BYN: '1000',
    provider: 'stripe',
    idem: 'idem-12345678',
    coverFee: '1',
  };
  for (const locale of ['be', 'ru', 'en'] as const) {
    const t = translator(locale);
    const both = readDonateForm({ ...body, frequency: 'monthly' }, null, t);
    expect(both.ok).toBe(false);
    expect(!both.ok && both.errors.coverFee).toBe(t('coverFee.notMonthly'));
    expect(t('coverFee.notMonthly')).not.toBe('coverFee.notMonthly');
  }
  const once = readDonateForm({ ...body, frequency: 'once' }, null, translator('en'));
  expect(once.ok && once.request).toMatchObject({ amount: 1000, coverFee: true });
});

it('the request log shows a manage link with its token redacted', () => {
  expect(loggedPath('/monthly/eyJhbGciOi.abc.def/cancel?lang=be')).toBe('/monthly/[token]/cancel');
  expect(loggedPath('/subscriptions/manage/eyJ.x.y')).toBe('/subscriptions/manage/[token]');
  expect(loggedPath('/donate')).toBe('/donate');
});

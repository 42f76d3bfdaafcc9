import pdfParse from 'pdf-parse';
import type { Donation, PointToken, Reward } from '../src/app/api';
import { blankForm } from '../src/app/donate-form';
import { thermometer } from '../src/app/present';
import { receiptPdf } from '../src/app/receipt';
import { clearMissingKeys, LOCALES, missingKeys, translator, type Locale } from '../src/i18n';
import { be } from '../src/i18n/locales/be';
import { en } from '../src/i18n/locales/en';
import { ru } from '../src/i18n/locales/ru';
import { campaignPage } from '../src/views/campaign';
import { donatePage } from '../src/views/donate';
import type { PageContext } from '../src/views/layout';
import { errorPage, packPage, stickersPage } from '../src/views/pages';
import { rewardFragment, thanksPage } from '../src/views/thanks';

const visibleText = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`),
  );
}

const donation: Donation = {
  id: '7c1f0e39-6f6e-4a38-9b59-0a5a1e1f2a11',
  status: 'succeeded',
  amount: { minor: 12345678, currency: 'BYN' },
  fund: 'specialist-training',
  provider: 'stripe',
  channel: 'office',
  officeId: 'minsk-1',
  officeName: 'МТС Мінск',
  redirectUrl: null,
  providerRefs: { paymentIntentId: 'pi_123' },
  receipt: { number: 'BFI-2026-000007', issuedAt: '2026-12-01T09:00:00Z', donorName: null },
  createdAt: '2026-12-01T09:00:00Z',
  updatedAt: '2026-12-01T09:00:00Z',
};
const counter: PointToken = {
  kind: 'counter',
  office: { id: 'minsk-1', name: 'МТС Мінск' },
  pointLabel: 'Counter 1',
  amount: { minor: 1500, currency: 'BYN' },
  expiresAt: '2026-12-01T09:10:00Z',
};
const physical: Reward = {
  kind: 'physical-sticker-pack',
  status: 'waiting-list',
  officeId: 'minsk-1',
  claimCode: 'ABCD-EFGH',
  qr: null,
};

/** Every page and state a donor can meet, rendered in one language. */
function renderEverything(locale: Locale): string[] {
  const t = translator(locale);
  const ctx: PageContext = { t, locale, url: '/x?s=1', counsellingUrl: 'https://help.example' };
  const totals = { raised: [{ currency: 'BYN', minor: 250000 }], donors: 3, version: 1 };
  const goal = { minor: 10_000_000, currency: 'BYN' as const };
  const base = {
    form: blankForm(),
    point: null,
    pointRefusal: null,
    errors: {},
    serverDetail: null,
  };
  const errors = { amount: 'x', email: 'y', provider: 'z' };
  return [
    campaignPage(ctx, thermometer(totals, goal, locale, t)),
    campaignPage(ctx, null),
    donatePage(ctx, base),
    donatePage(ctx, { ...base, point: counter, errors, serverDetail: 'refused' }),
    donatePage(ctx, { ...base, pointRefusal: 'expired' }),
    ...['pending', 'succeeded', 'failed', 'partially_refunded', 'refunded'].map((status) =>
      thanksPage(ctx, { donation: { ...donation, status }, secret: 's', reward: null }),
    ),
    ...[
      physical,
      { ...physical, status: 'available' },
      { ...physical, status: 'handed-out' },
      { ...physical, kind: 'digital-sticker-pack' as const },
      { ...physical, claimCode: null },
      null,
    ].map(
      (reward) =>
        rewardFragment(ctx, { donationId: donation.id, reward, secret: 's', officeName: null })
          .value,
    ),
    packPage(ctx, { code: 'ABCD', downloadUrl: null, refusal: 'used' }),
    packPage(ctx, { code: 'ABCD', downloadUrl: 'https://x', refusal: null }),
    stickersPage(ctx),
    errorPage(ctx, t('errors.notFound')),
    errorPage(ctx, t('errors.unavailable')),
  ];
}

describe('languages', () => {
  it('Belarusian and Russian have exactly the English keys', () => {
    expect(keysOf(be).sort()).toEqual(keysOf(en).sort());
    expect(keysOf(ru).sort()).toEqual(keysOf(en).sort());
  });

  it.each(LOCALES)('every page renders in %s with no missing message', (locale) => {
    clearMissingKeys();
    const pages = renderEverything(locale);
    expect(missingKeys()).toEqual([]);
    // i18next answers a missing key with the key itself: no such text may reach a page.
    for (const page of pages)
      expect(visibleText(page)).not.toMatch(
        /\b(meta|campaign|donate|thanks|common|help|pack|receipt|errors)\.[a-zA-Z_]+/,
      );
  });

  it('an asked-for key that no catalogue has is reported', () => {
    clearMissingKeys();
    translator('ru')('thanks.nothingLikeThis');
    expect(missingKeys()).toEqual(['ru:thanks.nothingLikeThis']);
  });

  it('money and dates follow the language', async () => {
    const thanks = (locale: Locale) => visibleText(renderEverything(locale)[6]!);
    expect(thanks('be')).toContain('123 456,78 BYN');
    expect(thanks('en')).toContain('123,456.78 BYN');
    const pdf = await receiptPdf({
      donation: { ...donation, receipt: donation.receipt! },
      locale: 'ru',
      counsellingUrl: 'https://help.example',
    });
    const text = (await pdfParse(pdf)).text.replace(/\s+/g, ' ');
    expect(text).toContain('123 456,78 BYN');
    expect(text).toContain('1 декабря 2026');
    expect(text).toContain('Анонимно');
    expect(text).toContain('BFI-2026-000007');
  });
});

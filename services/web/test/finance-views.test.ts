import type { ApiAnswer } from '../src/app/api';
import type { JournalEntry, ReconLine, Run, TotalsRow } from '../src/app/finance-api';
import { query } from '../src/app/finance-api';
import { clearMissingKeys, LOCALES, missingKeys, translator, type Locale } from '../src/i18n';
import { financeBe } from '../src/i18n/locales/finance.be';
import { financeEn } from '../src/i18n/locales/finance.en';
import { financeRu } from '../src/i18n/locales/finance.ru';
import { journalPage, refundConfirmPage, storyPage, totalsPage } from '../src/views/finance';
import type { FinanceContext } from '../src/views/finance-kit';
import { linePage } from '../src/views/finance-line';
import { auditPage, deadLettersPage, flaggedPage, fundsPage } from '../src/views/finance-ops';
import { reconPage, runPage } from '../src/views/finance-recon';
import { html } from '../src/views/html';

// Every finance console page and state, rendered in each language from the shapes the
// services answer with: no missing message, figures in the page's language, the progress bar
// where the run is, and no way for API text to become markup.

const visibleText = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`),
  );
}

const ok = <T>(body: T): ApiAnswer<T> => ({ status: 200, ok: true, body, detail: null });
const refused = <T>(detail: string): ApiAnswer<T> => ({
  status: 403,
  ok: false,
  body: {} as T,
  detail,
});

const fund = {
  slug: 'specialist-training',
  name: 'Training <specialists>',
  restricted: true,
  feePolicy: 'fund' as const,
  description: null,
  status: 'open' as const,
  version: 1,
};
const row: TotalsRow = {
  group: '2026-12-01',
  currency: 'BYN',
  gross: 1234567,
  fees: 1234,
  refunds: 1500,
  disputesHeld: 0,
  net: 1231833,
  count: 3,
};
const entry: JournalEntry = {
  id: 'e1',
  seq: 7,
  kind: 'refund',
  donationId: '7c1f0e39-6f6e-4a38-9b59-0a5a1e1f2a11',
  fund: 'specialist-training',
  channel: 'online',
  officeId: null,
  provider: 'stripe',
  providerRef: 're_1',
  description: 'Refund re_1',
  occurredAt: '2026-12-01T09:00:00Z',
  hash: 'abc',
  lines: [
    {
      lineNo: 1,
      account: 'fund:specialist-training:BYN',
      fund: null,
      currency: 'BYN',
      amount: 1500,
    },
  ],
};
const run: Run = {
  id: '0f0e39aa-6f6e-4a38-9b59-0a5a1e1f2a11',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-02T00:00:00.000Z',
  provider: 'stripe',
  status: 'running',
  progress: { phase: 'matching', processed: 50, total: 200, updatedAt: '2026-12-01T09:00:00Z' },
  summary: null,
  error: null,
  createdBy: 'Finance Officer',
  startedAt: '2026-12-01T09:00:00Z',
  finishedAt: null,
  csvSha256: null,
};
const line: ReconLine = {
  lineNo: 3,
  provider: 'stripe',
  type: 'payment',
  ref: 'ch_<b>x</b>',
  status: 'missing-in-ledger',
  statementGross: 4000,
  ledgerGross: null,
  statementCurrency: 'BYN',
  ledgerCurrency: null,
  fund: null,
  detail: 'no ledger entry',
  resolution: null,
};
const payment = {
  id: entry.donationId!,
  status: 'partially_refunded',
  amount: { minor: 4000, currency: 'BYN' },
  refunded: { minor: 1500, currency: 'BYN' },
  fund: 'specialist-training',
  provider: 'stripe',
  channel: 'online',
  officeId: null,
  providerRefs: { chargeId: 'ch_1' },
  createdAt: '2026-12-01T09:00:00Z',
  updatedAt: '2026-12-01T09:00:00Z',
};

function context(locale: Locale): FinanceContext {
  return {
    t: translator(locale),
    locale,
    url: '/finance',
    counsellingUrl: 'https://help.example',
    csrf: 'token-1',
    admin: true,
  };
}

function renderEverything(locale: Locale): string[] {
  const ctx = context(locale);
  const none = html``;
  const completed: Run = {
    ...run,
    status: 'completed',
    progress: null,
    summary: { lines: 10, discrepancies: 1, counts: { matched: 9, 'missing-in-ledger': 1 } },
    csvSha256: 'f'.repeat(64),
  };
  const story = {
    payment: ok(payment),
    entries: ok({ entries: [entry] }),
    reward: ok({ kind: 'digital-sticker-pack', status: 'revoked', officeId: null }),
  };
  return [
    ...(['currency', 'channel', 'office', 'day'] as const).map((groupBy) =>
      totalsPage(ctx, {
        funds: [fund],
        fund: fund.slug,
        groupBy,
        period: {},
        rows: [row, { ...row, group: null }],
        days: [row],
        refused: none,
      }),
    ),
    journalPage(ctx, {
      funds: [fund],
      filter: { cursor: 'x' },
      entries: [entry],
      nextCursor: 'y',
      refused: none,
    }),
    journalPage(ctx, { funds: [], filter: {}, entries: [], nextCursor: null, refused: none }),
    storyPage(ctx, { id: payment.id, story, message: none }),
    storyPage(ctx, {
      id: payment.id,
      story: { ...story, payment: refused('no such donation'), reward: refused('') },
      message: none,
    }),
    refundConfirmPage(ctx, {
      id: payment.id,
      amountText: '15.00 BYN',
      provider: 'stripe',
      amountMinor: 1500,
    }),
    reconPage(ctx, {
      runs: [run, completed, { ...run, status: 'failed', progress: null }],
      imports: [
        {
          id: 'i',
          provider: 'stripe',
          source: 'stripe-api',
          detail: '2026-12',
          inserted: 1,
          unchanged: 0,
          updated: 0,
          skipped: 0,
          createdAt: '2026-12-01T09:00:00Z',
          createdBy: null,
        },
      ],
      message: none,
      period: {},
    }),
    runPage(ctx, { run, lines: [], nextCursor: null, refused: none }),
    ...(['payouts', 'done'] as const).map((phase) =>
      runPage(ctx, {
        run: { ...run, progress: { ...run.progress!, phase } },
        lines: [],
        nextCursor: null,
        refused: none,
      }),
    ),
    runPage(ctx, { run: { ...run, progress: null }, lines: [], nextCursor: null, refused: none }),
    runPage(ctx, {
      run: completed,
      lines: [line],
      nextCursor: '3',
      status: 'missing-in-ledger',
      refused: none,
    }),
    runPage(ctx, {
      run: { ...run, status: 'failed', error: 'interrupted' },
      lines: [],
      nextCursor: null,
      refused: none,
    }),
    linePage(ctx, {
      run: completed,
      line,
      trail: (['accept', 'correct', 'reopen'] as const).map((action) => ({
        id: action,
        action,
        comment: 'checked',
        correctionEntryId: action === 'correct' ? 'e9' : null,
        resolvedBy: 'Finance',
        resolvedAt: '2026-12-01T10:00:00Z',
      })),
      funds: [fund],
      message: none,
    }),
    flaggedPage(ctx, {
      rewards: [
        {
          rewardId: 'r',
          donationId: payment.id,
          kind: 'physical-sticker-pack',
          officeId: 'minsk-1',
          handedOutAt: '2026-12-01T09:00:00Z',
          handedOutBy: 'staff',
          revokedAt: null,
          reason: 'refunded',
          gross: { minor: 4000, currency: 'BYN' },
          reversed: { minor: 4000, currency: 'BYN' },
        },
      ],
      refused: none,
    }),
    deadLettersPage(ctx, {
      letters: [
        {
          id: 'a.dlq/0/1',
          topic: 'a',
          reason: 'no fund',
          error: 'e',
          consumer: 'ledger',
          failedAt: null,
          event: { id: '1', type: 'payment.succeeded.v1', subject: 'd' },
          replayedAt: null,
          replayedBy: null,
        },
      ],
      message: none,
    }),
    auditPage(ctx, {
      report: { ok: true, checked: 5, head: { seq: 5, hash: 'h' }, firstBreak: null },
      refused: none,
    }),
    auditPage(ctx, {
      report: {
        ok: false,
        checked: 2,
        head: { seq: 5, hash: 'h' },
        firstBreak: { seq: 3, entryId: 'e', problem: 'hash', detail: 'the hash differs' },
      },
      refused: none,
    }),
    fundsPage(ctx, {
      funds: [fund, { ...fund, slug: 'general', status: 'closed', feePolicy: 'general' }],
      message: none,
    }),
  ];
}

describe('finance console pages', () => {
  it('Belarusian and Russian have exactly the English keys', () => {
    expect(keysOf(financeBe).sort()).toEqual(keysOf(financeEn).sort());
    expect(keysOf(financeRu).sort()).toEqual(keysOf(financeEn).sort());
  });

  it.each(LOCALES)('every page and state renders in %s with no missing message', (locale) => {
    clearMissingKeys();
    const pages = renderEverything(locale);
    expect(missingKeys()).toEqual([]);
    for (const page of pages) {
      expect(visibleText(page)).not.toMatch(/\b(finance|funds)\.[a-zA-Z]+\.[a-zA-Z]/);
      // Every form carries the session's CSRF token.
      const forms = page.match(/<form\b[^>]*method="post"[\s\S]*?<\/form>/g) ?? [];
      for (const form of forms) expect(form).toContain('name="_csrf" value="token-1"');
    }
  });

  it('the progress bar stands where the run is, and its text says how far', () => {
    const en = renderEverything('en');
    const running = en.find((p) => p.includes('id="run-bar"'))!;
    expect(running).toMatch(/<progress\s+id="run-bar"\s+max="100"\s+value="25"/);
    expect(visibleText(running)).toContain('50 of about 200 keys classified');
    expect(visibleText(running)).toContain('Matching statement and ledger');
    const ru = renderEverything('ru').find((p) => p.includes('id="run-bar"'))!;
    expect(visibleText(ru)).toContain('Обработано ключей: 50 из примерно 200');
  });

  it('figures follow the language; API text stays text', () => {
    const be = renderEverything('be')[0]!;
    const en = renderEverything('en')[0]!;
    expect(visibleText(be)).toContain('12 345,67 BYN');
    expect(visibleText(en)).toContain('12,345.67 BYN');
    expect(en).toContain('Training &lt;specialists&gt;');
    const completed = renderEverything('en').find((p) => p.includes('ch_&lt;b&gt;x&lt;/b&gt;'));
    expect(completed).toBeDefined();
    // The chart's data block cannot be closed by the data.
    expect(en).toMatch(
      /<script type="application\/json" id="totals-data">\s*\[\{"day":"2026-12-01"/,
    );
  });

  it('builds API queries of the defined values only', () => {
    expect(query({ a: 'x y', b: undefined, c: '', d: 0 })).toBe('?a=x+y&d=0');
    expect(query({})).toBe('');
  });
});

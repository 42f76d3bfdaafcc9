import fc from 'fast-check';
import {
  classify,
  correctionPosting,
  CsvRejected,
  mergeByKey,
  parseAmount,
  parseStatementCsv,
  type LedgerSide,
  type MatchPair,
  type StatementSide,
} from '../src/reconciliation/domain';

// Pure reconciliation logic: amounts, CSV validation, the merge join, the classes, corrections.

const stmt = (o: Partial<StatementSide> & { ref: string }): StatementSide => ({
  provider: 'stripe',
  type: 'payment',
  currency: 'BYN',
  gross: 1000,
  fee: 30,
  net: 970,
  inPayout: true,
  payoutId: 'po_1',
  references: `txn_${o.ref}`,
  createdAt: '2025-03-01T10:00:00.000Z',
  ...o,
});
const ledg = (o: Partial<LedgerSide> & { ref: string }): LedgerSide => ({
  provider: 'stripe',
  type: 'payment',
  currency: 'BYN',
  gross: 1000,
  fee: 30,
  entries: 2,
  fund: 'specialist-training',
  occurredAt: '2025-03-01T10:00:00.000Z',
  ...o,
});
const pair = (s: StatementSide[], l: LedgerSide[]): MatchPair => ({
  key: { provider: (s[0] ?? l[0])!.provider, type: (s[0] ?? l[0])!.type, ref: (s[0] ?? l[0])!.ref },
  statement: s,
  ledger: l,
});
const opts = { payoutProviders: ['stripe'] };

describe('parseAmount', () => {
  it('reads report amounts exactly and refuses other formats', () => {
    expect(parseAmount('12.50', 'BYN')).toBe(1250);
    expect(parseAmount('-0.05', 'USD')).toBe(-5);
    expect(parseAmount('1200', 'JPY')).toBe(1200);
    expect(parseAmount('1,234.50', 'USD', true)).toBe(123450);
    for (const bad of [
      '12,50',
      '1.234,50',
      '1 234.50',
      '$12',
      '12.345',
      '1e3',
      '',
      '--1',
      '1,234.50',
    ]) {
      expect(() => parseAmount(bad, 'USD')).toThrow(/is not a USD amount/);
    }
    expect(() => parseAmount('12.5', 'JPY')).toThrow(/at most 0 decimals/);
    expect(() => parseAmount('1,23.00', 'USD', true)).toThrow(/not a USD amount/);
  });
});

describe('parseStatementCsv', () => {
  const header = [
    'balance_transaction_id',
    'created_utc',
    'available_on_utc',
    'currency',
    'gross',
    'fee',
    'net',
    'reporting_category',
    'source_id',
    'description',
  ];
  it('maps a Stripe balance report to statement lines', () => {
    const { lines } = parseStatementCsv('stripe-balance', [
      header,
      [
        'txn_1',
        '2025-03-01 10:00:00',
        '2025-03-03 00:00:00',
        'byn',
        '100.00',
        '3.20',
        '96.80',
        'charge',
        'ch_1',
        '',
      ],
      [
        'txn_2',
        '2025-03-02 11:00:00',
        '',
        'byn',
        '-20.00',
        '0.00',
        '-20.00',
        'refund',
        're_1',
        'x',
      ],
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        reference: 'txn_1',
        sourceRef: 'ch_1',
        type: 'payment',
        gross: 10000,
        fee: 320,
        net: 9680,
        currency: 'BYN',
        createdAt: '2025-03-01T10:00:00.000Z',
        availableOn: '2025-03-03T00:00:00.000Z',
      }),
      expect.objectContaining({
        reference: 'txn_2',
        type: 'refund',
        gross: -2000,
        net: -2000,
        availableOn: null,
      }),
    ]);
  });

  it('refuses the whole file with every problem, line and column named', () => {
    let err: unknown;
    try {
      parseStatementCsv('stripe-balance', [
        header,
        [
          'txn_1',
          '2025-03-01 10:00:00',
          '',
          'byn',
          '100,00',
          '3.20',
          '96.80',
          'charge',
          'ch_1',
          '',
        ],
        ['txn_2', '03/01/2025', '', 'xyz', '1.00', '0.00', '1.00', 'charge', 'ch_2', ''],
        ['txn_3', '2025-03-01 10:00:00', '', 'usd', '10.00', '1.00', '8.00', 'charge', 'ch_3', ''],
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvRejected);
    const problems = (err as CsvRejected).problems;
    expect(problems).toEqual([
      { line: 2, column: 'gross', message: expect.stringMatching(/"100,00" is not a BYN amount/) },
      {
        line: 3,
        column: 'currency',
        message: expect.stringMatching(/"xyz" is not one the ledger keeps/),
      },
      { line: 4, message: expect.stringMatching(/gross 1000 − fee 100 is 900, but net says 800/) },
    ]);
    expect((err as Error).message).toMatch(/nothing was stored/);
  });

  it('refuses a file of another kind by its columns', () => {
    expect(() =>
      parseStatementCsv('stripe-payout', [
        header,
        ['txn_1', '2025-03-01 10:00:00', '', 'byn', '1.00', '0.00', '1.00', 'charge', 'ch_1', ''],
      ]),
    ).toThrow(/missing column\(s\) "automatic_payout_id"/);
  });
});

describe('classify', () => {
  it('finds each class', () => {
    expect(classify(pair([stmt({ ref: 'a' })], [ledg({ ref: 'a' })]), opts).status).toBe('matched');
    expect(
      classify(
        pair([stmt({ ref: 'a', inPayout: false, payoutId: null })], [ledg({ ref: 'a' })]),
        opts,
      ).status,
    ).toBe('in-transit');
    expect(
      classify(pair([stmt({ ref: 'a', gross: 1100 })], [ledg({ ref: 'a' })]), opts),
    ).toMatchObject({
      status: 'amount-mismatch',
      detail: 'gross 1100 BYN at the provider, 1000 BYN in the ledger (difference 100)',
    });
    expect(classify(pair([stmt({ ref: 'a', fee: 35 })], [ledg({ ref: 'a' })]), opts).status).toBe(
      'fee-mismatch',
    );
    expect(
      classify(pair([stmt({ ref: 'a', currency: 'USD' })], [ledg({ ref: 'a' })]), opts).status,
    ).toBe('currency-mismatch');
    expect(classify(pair([stmt({ ref: 'a' })], []), opts).status).toBe('missing-in-ledger');
    expect(classify(pair([], [ledg({ ref: 'a' })]), opts).status).toBe('missing-at-provider');
    // PayPal has no payouts listing its transactions: matched, never in transit.
    expect(
      classify(
        pair(
          [stmt({ ref: 'a', provider: 'paypal', inPayout: false })],
          [ledg({ ref: 'a', provider: 'paypal' })],
        ),
        opts,
      ).status,
    ).toBe('matched');
  });
});

describe('mergeByKey', () => {
  async function* from<T>(rows: T[]) {
    for (const r of rows) yield r;
  }
  const keyOrder = (a: { ref: string }, b: { ref: string }) =>
    a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;

  it('pairs every key of either side exactly once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9_]{1,6}$/), { maxLength: 40 }),
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9_]{1,6}$/), { maxLength: 40 }),
        async (sRefs, lRefs) => {
          const s = sRefs.map((ref) => stmt({ ref })).sort(keyOrder);
          const l = lRefs.map((ref) => ledg({ ref })).sort(keyOrder);
          const seen = new Map<string, [number, number]>();
          for await (const p of mergeByKey(from(s), from(l))) {
            expect(seen.has(p.key.ref)).toBe(false);
            seen.set(p.key.ref, [p.statement.length, p.ledger.length]);
          }
          const all = new Set([...sRefs, ...lRefs]);
          expect(seen.size).toBe(all.size);
          for (const ref of all)
            expect(seen.get(ref)).toEqual([
              sRefs.includes(ref) ? 1 : 0,
              lRefs.includes(ref) ? 1 : 0,
            ]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses unsorted input instead of matching wrongly', async () => {
    const run = async () => {
      for await (const _ of mergeByKey(from([stmt({ ref: 'b' }), stmt({ ref: 'a' })]), from([])))
        void _;
    };
    await expect(run()).rejects.toThrow(/not sorted/);
  });
});

describe('correctionPosting', () => {
  const base = {
    provider: 'stripe',
    type: 'payment',
    ref: 'ch_1',
    statementCurrency: 'BYN',
    statementGross: 1100,
    statementFee: 35,
    ledgerCurrency: 'BYN',
    ledgerGross: 1000,
    ledgerFee: 30,
  };
  const req = {
    fund: 'specialist-training',
    feeFund: 'specialist-training',
    resolutionId: 'r1',
    comment: 'bank slip',
    occurredAt: '2025-03-01T00:00:00Z',
  };

  it('posts the difference between the provider and the ledger, balanced', () => {
    const e = correctionPosting({ ...req, line: { ...base, status: 'amount-mismatch' } });
    expect(e.kind).toBe('correction');
    expect(e.lines.map((l) => [l.account.code, l.amount])).toEqual([
      ['clearing:stripe:BYN', 95],
      ['fund:specialist-training:BYN', -100],
      ['fees:stripe:BYN', 5],
    ]);
  });

  it('reverses one currency and posts the other on a currency mismatch', () => {
    const e = correctionPosting({
      ...req,
      line: {
        ...base,
        status: 'currency-mismatch',
        statementCurrency: 'EUR',
        statementGross: 1000,
        statementFee: 0,
        ledgerFee: 0,
      },
    });
    expect(e.lines.map((l) => [l.account.code, l.amount])).toEqual([
      ['clearing:stripe:EUR', 1000],
      ['fund:specialist-training:EUR', -1000],
      ['clearing:stripe:BYN', -1000],
      ['fund:specialist-training:BYN', 1000],
    ]);
  });

  it('needs a fund for money the ledger never saw, and refuses what a posting cannot fix', () => {
    expect(() =>
      correctionPosting({
        ...req,
        fund: null,
        feeFund: null,
        line: {
          ...base,
          status: 'missing-in-ledger',
          ledgerCurrency: null,
          ledgerGross: null,
          ledgerFee: null,
        },
      }),
    ).toThrow(/choose the fund/);
    expect(() =>
      correctionPosting({ ...req, line: { ...base, status: 'payout-mismatch' } }),
    ).toThrow(/accept it with a comment/);
  });
});

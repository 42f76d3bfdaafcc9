import {
  balanced,
  checkLink,
  clearingAccount,
  decide,
  entryHash,
  fundAccount,
  GENESIS_HASH,
  payoutPosting,
  UnbalancedEntryError,
  type DonationState,
  type EntryDraft,
  type PaymentFact,
} from '../src/ledger/domain';

// The pure ledger rules: only balanced entries can be made; what each fact decides.

const draft = (lines: EntryDraft['lines']): EntryDraft => ({
  kind: 'correction',
  idempotencyKey: 'x',
  donationId: null,
  fund: null,
  channel: null,
  officeId: null,
  provider: null,
  providerRef: null,
  description: 'test',
  occurredAt: '2025-03-01T00:00:00Z',
  lines,
});

describe('balanced()', () => {
  const clearing = clearingAccount('stripe', 'BYN');
  const fund = fundAccount('general', 'BYN');

  it.each([
    ['one line', [{ account: clearing, amount: 100 }], /needs at least 2/],
    [
      'debits ≠ credits',
      [
        { account: clearing, amount: 100 },
        { account: fund, amount: -99 },
      ],
      /does not balance in BYN: debits − credits = 1/,
    ],
    [
      'a zero line',
      [
        { account: clearing, amount: 0 },
        { account: fund, amount: 0 },
      ],
      /non-zero whole number/,
    ],
    [
      'a fractional amount',
      [
        { account: clearing, amount: 0.5 },
        { account: fund, amount: -0.5 },
      ],
      /non-zero whole number/,
    ],
    [
      'balanced overall but not per currency',
      [
        { account: clearing, amount: 100 },
        { account: fundAccount('general', 'USD'), amount: -100 },
      ],
      /does not balance in BYN/,
    ],
  ])('refuses %s', (_name, lines, message) => {
    expect(() => balanced(draft(lines))).toThrow(UnbalancedEntryError);
    expect(() => balanced(draft(lines))).toThrow(message);
  });

  it('makes a payout Dr bank / Cr clearing', () => {
    const p = payoutPosting({
      provider: 'paypal',
      payoutId: 'po_9',
      amount: { minor: 1234, currency: 'EUR' },
      occurredAt: '2025-03-01T00:00:00Z',
    });
    expect(p.lines.map((l) => [l.account.code, l.amount])).toEqual([
      ['bank:EUR', 1234],
      ['clearing:paypal:EUR', -1234],
    ]);
  });
});

describe('decide()', () => {
  const base = {
    donationId: '6f1c2b7e-3c1a-4d4e-9f43-0b8f2a1d5e77',
    fund: 'specialist-training',
    channel: 'online',
    officeId: null,
    provider: 'stripe' as const,
    providerRef: 'ch_1',
    gross: { minor: 1000, currency: 'BYN' as const },
    occurredAt: '2025-03-01T00:00:00.000Z',
  };
  const fund = {
    slug: 'specialist-training',
    name: 'ST',
    restricted: true,
    feePolicy: 'general' as const,
    description: null,
  };
  const state = (patch: Partial<DonationState> = {}): DonationState => ({
    ...base,
    currency: 'BYN',
    gross: 1000,
    refunded: 0,
    held: 0,
    lost: 0,
    disputes: {},
    ...patch,
  });

  it('posts a donation and charges the fee to general when the fund’s policy says so', () => {
    const d = decide(
      null,
      { ...base, type: 'succeeded', fee: { minor: 30, currency: 'BYN' } },
      fund,
    );
    expect(d.action).toBe('post');
    if (d.action !== 'post') return;
    expect(d.entries.map((e) => e.kind)).toEqual(['donation', 'fee']);
    expect(d.entries[1]!.lines[0]!.account).toMatchObject({
      code: 'fees:stripe:BYN',
      fund: 'general',
    });
    expect(d.announce).toEqual([
      { type: 'donation-posted', entry: 0, gross: base.gross },
      { type: 'fee-posted', entry: 1, fee: { minor: 30, currency: 'BYN' }, chargedTo: 'general' },
    ]);
  });

  const refund = (amount: number): PaymentFact => ({
    ...base,
    type: 'refunded',
    refundId: 're',
    amount: { minor: amount, currency: 'BYN' },
  });

  it.each<[string, string, DonationState | null, PaymentFact]>([
    ['refund before the payment', 'park', null, refund(10)],
    ['refund within what is left', 'post', state({ refunded: 500 }), refund(500)],
    ['refund beyond what is left', 'refuse', state({ refunded: 500, held: 200 }), refund(400)],
    [
      'refund in another currency',
      'refuse',
      state(),
      { ...refund(10), amount: { minor: 10, currency: 'USD' } } as PaymentFact,
    ],
    ['a second payment.succeeded', 'skip', state(), { ...base, type: 'succeeded', fee: null }],
    [
      'dispute closing before it opened',
      'park',
      state(),
      { ...base, type: 'dispute-closed', disputeId: 'dp', amount: base.gross, outcome: 'won' },
    ],
    [
      'dispute already open',
      'skip',
      state({ held: 1000, disputes: { dp: { amount: 1000, status: 'open' } } }),
      { ...base, type: 'disputed', disputeId: 'dp', amount: base.gross },
    ],
  ])('%s → %s', (_name, action, s, fact) => {
    expect(decide(s, fact, fund).action).toBe(action);
  });

  it('refuses a donation to an unknown fund with a way out', () => {
    expect(decide(null, { ...base, type: 'succeeded', fee: null }, null)).toEqual({
      action: 'refuse',
      reason:
        'unknown fund "specialist-training": create it (POST /funds), then replay this event: POST /dead-letters/replay {"id": "<id from GET /dead-letters>"}, or npm run dead-letters -w @bfi/pledge-ledger -- replay <id>',
    });
  });

  it('a lost dispute reverses the held amount and reports full reversal', () => {
    const s = state({
      refunded: 400,
      held: 600,
      disputes: { dp: { amount: 600, status: 'open' } },
    });
    const d = decide(
      s,
      {
        ...base,
        type: 'dispute-closed',
        disputeId: 'dp',
        amount: { minor: 600, currency: 'BYN' },
        outcome: 'lost',
      },
      null,
    );
    expect(d).toMatchObject({
      action: 'post',
      state: { held: 0, lost: 600, disputes: { dp: { status: 'lost' } } },
      announce: [
        {
          type: 'donation-reversed',
          reason: 'dispute-lost',
          fullyReversed: true,
          amount: { minor: 600 },
        },
      ],
    });
  });
});

describe('hash chain links', () => {
  const entry = {
    id: 'e1',
    seq: 1,
    kind: 'donation',
    idempotencyKey: 'donation:1',
    donationId: null,
    fund: null,
    channel: null,
    officeId: null,
    provider: null,
    providerRef: null,
    sourceEventId: null,
    description: 'd',
    occurredAt: '2025-03-01T00:00:00.000Z',
    lines: [
      { lineNo: 1, account: 'a', accountType: 'clearing', fund: null, currency: 'BYN', amount: 5 },
      {
        lineNo: 2,
        account: 'b',
        accountType: 'fund',
        fund: 'general',
        currency: 'BYN',
        amount: -5,
      },
    ],
  };
  const hash = entryHash(GENESIS_HASH, entry);
  const genesis = { seq: 0, hash: GENESIS_HASH };

  it('accepts an intact link and pins down what changed', () => {
    expect(checkLink(genesis, { ...entry, prevHash: GENESIS_HASH, hash })).toBeNull();
    const edited = { ...entry, lines: [{ ...entry.lines[0]!, amount: 6 }, entry.lines[1]!] };
    expect(checkLink(genesis, { ...edited, prevHash: GENESIS_HASH, hash })?.problem).toBe(
      'hash-mismatch',
    );
    expect(checkLink(genesis, { ...entry, prevHash: 'f'.repeat(64), hash })?.problem).toBe(
      'prev-hash-mismatch',
    );
    expect(checkLink(genesis, { ...entry, seq: 2, prevHash: GENESIS_HASH, hash })?.problem).toBe(
      'seq-gap',
    );
  });
});

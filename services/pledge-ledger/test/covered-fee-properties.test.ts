import fc from 'fast-check';
import { currencyTotals, decide, type Fund, type PaymentFact } from '../src/ledger/domain';

// Pure property of the ledger's rule for a covered gift (no database): whatever the gross, the
// covered part and the fee, the entries balance per currency, the fund is credited exactly the
// intended gift, fee-cover exactly the covered part (borne by the fund the fee policy names),
// and fund net = intended whenever the actual fee equals the covered part.

const FUNDS: Fund[] = [
  {
    slug: 'specialist-training',
    name: 'ST',
    restricted: true,
    feePolicy: 'fund',
    description: null,
  },
  { slug: 'safe-schools', name: 'SS', restricted: true, feePolicy: 'general', description: null },
];

const coveredGift = fc
  .record({
    intended: fc.integer({ min: 1, max: 10_000_000 }),
    covered: fc.integer({ min: 1, max: 500_000 }),
    feeDelta: fc.integer({ min: -3, max: 3 }),
    fund: fc.constantFrom(...FUNDS),
    currency: fc.constantFrom('BYN' as const, 'USD' as const, 'EUR' as const),
  })
  .map((g) => ({ ...g, fee: Math.max(0, g.covered + g.feeDelta) }));

it('a covered gift balances, credits the fund the intended amount and fee-cover the covered part', () => {
  fc.assert(
    fc.property(coveredGift, (g) => {
      const fact: PaymentFact = {
        type: 'succeeded',
        donationId: '00000000-0000-4000-8000-000000000001',
        fund: g.fund.slug,
        channel: 'online',
        officeId: null,
        provider: 'stripe',
        providerRef: 'ch_1',
        gross: { minor: g.intended + g.covered, currency: g.currency },
        fee: { minor: g.fee, currency: g.currency },
        coveredFee: { minor: g.covered, currency: g.currency },
        occurredAt: '2025-03-01T10:00:00.000Z',
      };
      const decision = decide(null, fact, g.fund);
      if (decision.action !== 'post') throw new Error(decision.action);
      const lines = decision.entries.flatMap((e) => e.lines);
      for (const e of decision.entries) {
        const totals = currencyTotals(
          e.lines.map((l) => ({ currency: l.account.currency, amount: l.amount })),
        );
        for (const total of totals.values()) expect(total).toBe(0);
      }
      const sum = (pred: (code: string, fund: string | null) => boolean) =>
        lines.filter((l) => pred(l.account.code, l.account.fund)).reduce((s, l) => s + l.amount, 0);
      const bearer = g.fund.feePolicy === 'general' ? 'general' : g.fund.slug;
      expect(-sum((code) => code.startsWith('fund:'))).toBe(g.intended);
      expect(-sum((code, fund) => code.startsWith('fee-cover:') && fund === bearer)).toBe(
        g.covered,
      );
      // What the fee bearer is left with: covered − fee (0 when the estimate was right).
      const bearerFees = sum((code, fund) => code.startsWith('fees:') && fund === bearer);
      const bearerCover = -sum((code, fund) => code.startsWith('fee-cover:') && fund === bearer);
      expect(bearerCover - bearerFees).toBe(g.covered - g.fee);
      // The provider's clearing account: the charge in, the fee out.
      expect(sum((code) => code.startsWith('clearing:'))).toBe(g.intended + g.covered - g.fee);
    }),
    { numRuns: 300 },
  );
});

it('a gift without a covered fee still posts the plain donation entry', () => {
  const decision = decide(
    null,
    {
      type: 'succeeded',
      donationId: '00000000-0000-4000-8000-000000000002',
      fund: 'specialist-training',
      channel: 'online',
      officeId: null,
      provider: 'paypal',
      providerRef: 'cap_1',
      gross: { minor: 5000, currency: 'USD' },
      fee: null,
      coveredFee: null,
      occurredAt: '2025-03-01T10:00:00.000Z',
    },
    FUNDS[0]!,
  );
  if (decision.action !== 'post') throw new Error(decision.action);
  expect(decision.entries.map((e) => e.lines.map((l) => [l.account.code, l.amount]))).toEqual([
    [
      ['clearing:paypal:USD', 5000],
      ['fund:specialist-training:USD', -5000],
    ],
  ]);
});

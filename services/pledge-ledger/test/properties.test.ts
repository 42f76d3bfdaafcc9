import { randomUUID } from 'node:crypto';
import type { AnyEvent } from '@bfi/events';
import { PermanentEventError } from '@bfi/messaging';
import type { TestDatabase } from '@bfi/db';
import fc from 'fast-check';
import type { Db } from '../src/db/client';
import { createFund } from '../src/ledger/db/funds-repo';
import { fundTotals } from '../src/ledger/db/totals-repo';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { DonationEvents, money, openDb, unbalancedEntries } from './helpers';

// Random sequences of payment events (shuffled: refunds and disputes may come before their
// payment, some events twice) applied through the same code the consumer runs, straight
// against the database (the Kafka path is covered by ledger-kafka.test.ts).

const FUNDS = ['specialist-training', 'general', 'safe-schools'] as const;
const FEE_BEARER: Record<string, string> = {
  'specialist-training': 'specialist-training',
  general: 'general',
  'safe-schools': 'general',
};

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_props'));
  await createFund(
    db,
    {
      slug: 'safe-schools',
      name: 'Safe schools',
      restricted: true,
      feePolicy: 'general',
      description: null,
    },
    '',
  );
});

afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const donationArb = fc.record({
  fund: fc.constantFrom(...FUNDS),
  currency: fc.constantFrom('BYN' as const, 'USD' as const),
  gross: fc.integer({ min: 1, max: 1_000_000 }),
  feePermille: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null }),
  refunds: fc.array(fc.integer({ min: 1, max: 400_000 }), { maxLength: 3 }),
  disputes: fc.array(
    fc.record({
      amount: fc.integer({ min: 1, max: 600_000 }),
      outcome: fc.constantFrom('won' as const, 'lost' as const, 'open' as const),
    }),
    {
      maxLength: 2,
    },
  ),
});

type DonationSpec =
  fc.Arbitrary<{
    fund: (typeof FUNDS)[number];
    currency: 'BYN' | 'USD';
    gross: number;
    feePermille: number | null;
    refunds: number[];
    disputes: { amount: number; outcome: 'won' | 'lost' | 'open' }[];
  }> extends fc.Arbitrary<infer T>
    ? T
    : never;

function eventsFor(spec: DonationSpec): { events: AnyEvent[]; fee: number } {
  const fee = spec.feePermille === null ? null : Math.floor((spec.gross * spec.feePermille) / 1000);
  const d = new DonationEvents({
    fund: spec.fund,
    gross: money(spec.gross, spec.currency),
    fee: fee === null ? null : money(fee, spec.currency),
  });
  const events: AnyEvent[] = [d.succeeded()];
  let total = 0;
  for (const amount of spec.refunds) {
    const a = Math.min(amount, spec.gross - total);
    if (a <= 0) break;
    total += a;
    events.push(d.refunded(`re_${randomUUID()}`, a, total));
  }
  for (const dispute of spec.disputes) {
    const id = `dp_${randomUUID()}`;
    const a = Math.min(dispute.amount, spec.gross);
    events.push(d.disputed(id, a));
    if (dispute.outcome !== 'open') events.push(d.disputeClosed(id, a, dispute.outcome));
  }
  return { events, fee: fee ?? 0 };
}

async function apply(event: AnyEvent): Promise<void> {
  try {
    await db.$transaction((tx) =>
      applyPaymentEvent(tx, event as PaymentEvent, { namespace: 'props.' }),
    );
  } catch (err) {
    if (!(err instanceof PermanentEventError)) throw err; // a refusal posts nothing: fine
  }
}

/** Expected gross/fees/count from the event stream alone (each succeeded posts exactly once). */
const expected = new Map<string, { gross: number; fees: number; count: number }>();
const bump = (
  fund: string,
  currency: string,
  delta: { gross?: number; fees?: number; count?: number },
) => {
  const key = `${fund} ${currency}`;
  const t = expected.get(key) ?? { gross: 0, fees: 0, count: 0 };
  expected.set(key, {
    gross: t.gross + (delta.gross ?? 0),
    fees: t.fees + (delta.fees ?? 0),
    count: t.count + (delta.count ?? 0),
  });
};

/** Per fund and currency, from the raw lines: the fund's net is what its fund + held accounts hold, minus its fees. */
async function balancesFromLines(fund: string) {
  return db.$queryRaw<{ currency: string; held_and_fund: bigint; fees: bigint }[]>`
    SELECT currency,
      COALESCE(sum(-amount_minor) FILTER (WHERE account_type IN ('fund', 'disputes-held')), 0)::bigint AS held_and_fund,
      COALESCE(sum(amount_minor) FILTER (WHERE account_type = 'fees'), 0)::bigint AS fees
    FROM journal_line WHERE fund = ${fund} GROUP BY currency`;
}

it('every entry balances, fund totals equal the sum of the entries, net = gross − fees − refunds', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(donationArb, { minLength: 1, maxLength: 4 }),
      fc.infiniteStream(fc.nat()),
      fc.array(fc.nat(), { maxLength: 3 }),
      async (specs, order, dupes) => {
        const all = specs.map(eventsFor);
        specs.forEach((s, i) => {
          bump(s.fund, s.currency, { gross: s.gross, count: 1 });
          if (all[i]!.fee > 0) bump(FEE_BEARER[s.fund]!, s.currency, { fees: all[i]!.fee });
        });
        // Shuffle across donations (out of order within a donation too), then redeliver a few.
        const events = all.flatMap((x) => x.events);
        const it = order[Symbol.iterator]();
        const shuffled = events
          .map((e) => ({ e, k: it.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        for (const e of shuffled) await apply(e);
        for (const i of dupes) await apply(events[i % events.length]!);

        expect(await unbalancedEntries(db)).toEqual([]);
        for (const fund of FUNDS) {
          const totals = await fundTotals(db, { fund, groupBy: 'currency' });
          const balances = await balancesFromLines(fund);
          const state = await db.$queryRaw<{ currency: string; reversed: bigint; held: bigint }[]>`
          SELECT currency, sum(refunded_minor + lost_minor)::bigint AS reversed, sum(held_minor)::bigint AS held
          FROM ledger_donation WHERE fund = ${fund} GROUP BY currency`;
          for (const key of expected.keys()) {
            const [f, currency] = key.split(' ');
            if (f === fund) expect(totals.map((t) => t.currency)).toContain(currency);
          }
          for (const t of totals) {
            expect(t.net).toBe(t.gross - t.fees - t.refunds);
            expect(t.available).toBe(t.net - t.disputesHeld);
            const b = balances.find((x) => x.currency === t.currency)!;
            expect(t.net).toBe(Number(b.held_and_fund) - Number(b.fees));
            expect(t.fees).toBe(Number(b.fees));
            const e = expected.get(`${fund} ${t.currency}`) ?? { gross: 0, fees: 0, count: 0 };
            expect({ gross: t.gross, fees: t.fees, count: t.count }).toEqual(e);
            const s = state.find((x) => x.currency === t.currency);
            expect(t.refunds).toBe(Number(s?.reversed ?? 0));
            expect(t.disputesHeld).toBe(Number(s?.held ?? 0));
          }
        }
      },
    ),
    { numRuns: 25 },
  );
});

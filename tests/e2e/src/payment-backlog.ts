// Payment facts as payment's outbox relay puts them on the topic (CloudEvents envelope of
// @bfi/events, key = donation id, `ce-id` header), for scenarios that drive the ledger alone, and
// what finance should then find in the ledger: the idempotency keys of the entries and the fund
// totals, computed from what was generated, never read back from the ledger.
import { randomUUID } from 'node:crypto';
import { createEvent, serializeEvent, TOPICS, type AnyEvent } from '@bfi/events';
import type { OutgoingMessage } from '@bfi/messaging';
import pg from 'pg';
import { rng, shuffle } from './stream';

export type LedgerFund = 'specialist-training' | 'general';
type Cur = 'BYN' | 'USD';

/** A fund's totals in one currency, as GET /funds/{slug}/totals reports them. */
export interface FundCurrencyTotals {
  gross: number;
  fees: number;
  refunds: number;
  disputesLost: number;
  net: number;
  count: number;
}

export interface PaymentBacklog {
  /** Every message in publishing order, duplicates included (same envelope, same ce-id). */
  messages: OutgoingMessage[];
  /** Distinct event ids among them. */
  eventIds: Set<string>;
  duplicates: number;
  donations: number;
  /** Idempotency keys of the journal entries the ledger must hold, each exactly once. */
  entryKeys: Set<string>;
  /** `${fund} ${currency}` → totals. */
  totals: Map<string, FundCurrencyTotals>;
}

const SOURCE = { source: '/services/payment' };

/** One donation's events in the order payment would publish them. */
function donationEvents(rand: () => number, occurredAt: Date): AnyEvent[] {
  const donationId = randomUUID();
  const currency: Cur = rand() < 0.75 ? 'BYN' : 'USD';
  const minor = 300 + Math.floor(rand() * 30_000);
  const base = {
    donationId,
    provider: 'stripe' as const,
    providerRefs: { chargeId: `ch_${donationId.slice(0, 18)}` },
    channel: 'online' as const,
    officeId: null,
    donationPointId: null,
    fund: (rand() < 0.6 ? 'specialist-training' : 'general') as LedgerFund,
    gross: { minor, currency },
    fee: { minor: Math.round(minor * 0.029) + 30, currency },
    occurredAt: occurredAt.toISOString(),
  };
  const later = (s: number) => new Date(occurredAt.getTime() + s * 1000).toISOString();
  const events: AnyEvent[] = [createEvent('payment.succeeded.v1', base, SOURCE)];
  const r = rand();
  if (r < 0.15) {
    const amount = { minor: rand() < 0.5 ? minor : Math.ceil(minor / 3), currency };
    events.push(
      createEvent(
        'payment.refunded.v1',
        {
          ...base,
          occurredAt: later(60),
          refundId: `re_${randomUUID()}`,
          amount,
          totalRefunded: amount,
          fullyRefunded: amount.minor === minor,
        },
        SOURCE,
      ),
    );
  } else if (r < 0.25) {
    const dispute = { ...base, disputeId: `dp_${randomUUID()}`, amount: base.gross };
    const outcome = rand() < 0.5 ? ('won' as const) : ('lost' as const);
    events.push(
      createEvent('payment.disputed.v1', { ...dispute, occurredAt: later(60) }, SOURCE),
      createEvent(
        'payment.dispute-closed.v1',
        { ...dispute, occurredAt: later(120), outcome },
        SOURCE,
      ),
    );
  }
  return events;
}

/** The entries and totals one event adds (fund fee policy 'fund': the fund bears its fees). */
function expect(e: AnyEvent, keys: Set<string>, totals: Map<string, FundCurrencyTotals>): void {
  if (!('donationId' in e.data) || !('gross' in e.data)) return;
  const d = e.data;
  const id = `${d.fund} ${d.gross.currency}`;
  const t = totals.get(id) ?? { gross: 0, fees: 0, refunds: 0, disputesLost: 0, net: 0, count: 0 };
  if (e.type === 'payment.succeeded.v1') {
    keys.add(`donation:${d.donationId}`).add(`fee:${d.donationId}`);
    t.gross += d.gross.minor;
    t.fees += e.data.fee?.minor ?? 0;
    t.count += 1;
  } else if (e.type === 'payment.refunded.v1') {
    keys.add(`refund:${e.data.refundId}`);
    t.refunds += e.data.amount.minor;
  } else if (e.type === 'payment.disputed.v1') {
    keys.add(`dispute-opened:${e.data.disputeId}`);
  } else if (e.type === 'payment.dispute-closed.v1') {
    keys.add(`dispute-closed:${e.data.disputeId}`);
    if (e.data.outcome === 'lost') {
      t.refunds += e.data.amount.minor;
      t.disputesLost += e.data.amount.minor;
    }
  }
  t.net = t.gross - t.fees - t.refunds;
  totals.set(id, t);
}

/**
 * `donations` gifts (~15 % refunded, fully or in part; ~10 % disputed, won or lost), their events
 * interleaved across donations but in order within each one, and about `duplicateRate` of the
 * events published a second time a little later — what payment's relay does when it dies between
 * sending a batch and marking it sent.
 */
export function paymentBacklog(
  namespace: string,
  options: { donations: number; duplicateRate: number; seed: number },
): PaymentBacklog {
  const rand = rng(options.seed);
  const start = Date.now() - 3_600_000;
  const perDonation = Array.from({ length: options.donations }, (_, i) =>
    donationEvents(rand, new Date(start + i * 1000)),
  );
  // Interleave: pick a random donation with events left, take its next event.
  const order: AnyEvent[] = [];
  const queues = perDonation.map((events) => [...events]);
  for (let open = queues.filter((q) => q.length > 0); open.length > 0;) {
    const q = open[Math.floor(rand() * open.length)]!;
    order.push(q.shift()!);
    if (q.length === 0) open = open.filter((x) => x.length > 0);
  }
  const withDuplicates: AnyEvent[] = [];
  const pending: { at: number; event: AnyEvent }[] = [];
  for (const [i, event] of order.entries()) {
    withDuplicates.push(event, ...pending.filter((p) => p.at === i).map((p) => p.event));
    if (rand() < options.duplicateRate) {
      pending.push({ at: i + 1 + Math.floor(rand() * 40), event });
    }
  }
  const late = pending.filter((p) => p.at >= order.length).map((p) => p.event);
  withDuplicates.push(...shuffle(late, rand));
  const entryKeys = new Set<string>();
  const totals = new Map<string, FundCurrencyTotals>();
  order.forEach((e) => expect(e, entryKeys, totals));
  return {
    messages: withDuplicates.map((e) => ({
      topic: namespace + TOPICS.payment,
      key: e.subject,
      value: serializeEvent(e),
      headers: { 'ce-id': e.id },
    })),
    eventIds: new Set(order.map((e) => e.id)),
    duplicates: withDuplicates.length - order.length,
    donations: options.donations,
    entryKeys,
    totals,
  };
}

/**
 * Holds the ledger's chain head (ledger_chain_head, locked FOR UPDATE by every posting) in a
 * transaction of the test's own, so each posting transaction stops in the middle — its inbox
 * rows written, its entries not — until release(). waiting(app) counts the sessions of one
 * process (its DATABASE_URL's application_name) stopped at a lock. Only wait_event tells:
 * the second session queued on a row lock shows `idle in transaction` and its previous query.
 */
export async function holdChainHead(dbUrl: string) {
  const holder = new pg.Client({ connectionString: dbUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT seq FROM ledger_chain_head WHERE id = 1 FOR UPDATE');
  return {
    waiting: async (applicationName: string) => {
      const { rows } = await holder.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1
            AND wait_event_type = 'Lock'`,
        [applicationName],
      );
      return Number(rows[0]?.n);
    },
    /** What every session of the database is doing (for a failure message). */
    activity: async () =>
      (
        await holder.query<Record<string, unknown>>(
          `SELECT pid, application_name AS app, state, wait_event_type, wait_event, left(query, 70) AS query
             FROM pg_stat_activity WHERE datname = current_database()`,
        )
      ).rows,
    release: async () => {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    },
  };
}

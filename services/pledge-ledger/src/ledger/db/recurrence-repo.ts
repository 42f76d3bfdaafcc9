// Monthly giving in the ledger: which donations are installments, the subscriptions' current
// amounts (from payment's lifecycle events) and the totals finance reads. Amounts stay integer
// minor units end to end; sums are BIGINT in SQL and checked safe integers here.
import { toNumber, type Db, type Tx } from '../../db/client';

export interface Recurrence {
  subscriptionId: string;
  installment: number;
}

/** Marks a just-posted donation as an installment (in the posting's transaction). */
export async function recordRecurrence(
  tx: Tx,
  donationId: string,
  recurrence: Recurrence,
): Promise<void> {
  await tx.ledgerDonation.update({
    where: { id: donationId },
    data: { subscriptionId: recurrence.subscriptionId, installment: recurrence.installment },
  });
}

export interface SubscriptionFacts {
  subscriptionId: string;
  provider: string;
  fund: string;
  amount: { minor: number; currency: string };
  occurredAt: Date;
}

/**
 * A subscription started. A repeated start (another event id for the same subscription) changes
 * nothing: the subscription's later events carry the amount and status that count.
 */
export async function subscriptionStarted(tx: Tx, f: SubscriptionFacts): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO ledger_subscription (id, fund, provider, currency, amount_minor, status, started_at, updated_at)
    VALUES (${f.subscriptionId}::uuid, ${f.fund}, ${f.provider}, ${f.amount.currency},
            ${BigInt(f.amount.minor)}, 'active', ${f.occurredAt}, ${f.occurredAt})
    ON CONFLICT (id) DO NOTHING`;
}

/** The next installments charge another amount; a cancelled subscription stays cancelled. */
export async function subscriptionAmountChanged(tx: Tx, f: SubscriptionFacts): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO ledger_subscription (id, fund, provider, currency, amount_minor, status, updated_at)
    VALUES (${f.subscriptionId}::uuid, ${f.fund}, ${f.provider}, ${f.amount.currency},
            ${BigInt(f.amount.minor)}, 'active', ${f.occurredAt})
    ON CONFLICT (id) DO UPDATE SET amount_minor = EXCLUDED.amount_minor,
      currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at
    WHERE ledger_subscription.status <> 'cancelled'`;
}

/** Nothing further is charged: the subscription leaves the run-rate for good. */
export async function subscriptionCancelled(tx: Tx, f: SubscriptionFacts): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO ledger_subscription (id, fund, provider, currency, amount_minor, status, cancelled_at, updated_at)
    VALUES (${f.subscriptionId}::uuid, ${f.fund}, ${f.provider}, ${f.amount.currency},
            ${BigInt(f.amount.minor)}, 'cancelled', ${f.occurredAt}, ${f.occurredAt})
    ON CONFLICT (id) DO UPDATE SET status = 'cancelled',
      cancelled_at = COALESCE(ledger_subscription.cancelled_at, EXCLUDED.cancelled_at),
      updated_at = EXCLUDED.updated_at`;
}

export interface GivingTotals {
  count: number;
  gross: number;
  /** Refunded plus lost in disputes. */
  reversed: number;
  net: number;
}

export interface FundGivingTotals {
  fund: string;
  currency: string;
  oneOff: GivingTotals;
  monthly: GivingTotals;
}

export interface RunRate {
  currency: string;
  /** What the active subscriptions charge per month together, in minor units. */
  minor: number;
  subscriptions: number;
}

interface TotalsRow {
  fund: string;
  currency: string;
  monthly: boolean;
  count: bigint;
  gross: bigint;
  reversed: bigint;
}

const ZERO: GivingTotals = { count: 0, gross: 0, reversed: 0, net: 0 };

/** Per fund and currency: one-off gifts vs installments of monthly gifts. */
export async function givingTotals(db: Db): Promise<FundGivingTotals[]> {
  const rows = await db.$queryRaw<TotalsRow[]>`
    SELECT fund, currency, subscription_id IS NOT NULL AS monthly, count(*) AS count,
           sum(gross_minor)::bigint AS gross, sum(refunded_minor + lost_minor)::bigint AS reversed
    FROM ledger_donation GROUP BY 1, 2, 3 ORDER BY 1, 2`;
  const byKey = new Map<string, FundGivingTotals>();
  for (const r of rows) {
    const key = `${r.fund}\u0000${r.currency}`;
    const line = byKey.get(key) ?? {
      fund: r.fund,
      currency: r.currency,
      oneOff: ZERO,
      monthly: ZERO,
    };
    const gross = toNumber(r.gross);
    const reversed = toNumber(r.reversed);
    const totals = { count: toNumber(r.count), gross, reversed, net: gross - reversed };
    byKey.set(key, r.monthly ? { ...line, monthly: totals } : { ...line, oneOff: totals });
  }
  return [...byKey.values()];
}

/** The monthly run-rate per currency: the sum of the active subscriptions' current amounts. */
export async function monthlyRunRate(db: Db): Promise<RunRate[]> {
  const rows = await db.$queryRaw<{ currency: string; minor: bigint; subscriptions: bigint }[]>`
    SELECT currency, sum(amount_minor)::bigint AS minor, count(*) AS subscriptions
    FROM ledger_subscription WHERE status = 'active' GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({
    currency: r.currency,
    minor: toNumber(r.minor),
    subscriptions: toNumber(r.subscriptions),
  }));
}

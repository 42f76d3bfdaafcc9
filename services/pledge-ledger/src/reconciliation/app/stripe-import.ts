import type Stripe from 'stripe';
import { fromStripeTransaction } from '../domain';
import type { Db } from '../../db/client';
import { StatementWriter, type ImportResult, type PayoutRecord } from '../db/statement-repo';

export type StripeImportQuery = { from: Date; to: Date } | { payoutId: string };

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Pulls Stripe balance transactions through the stripe SDK (auto-pagination):
 *  - by period: every balance transaction created in [from, to), then every payout created in
 *    the period with the transactions it paid out (which gives lines their payout id);
 *  - by payout: the payout and its transactions.
 * Idempotent: lines already stored are left alone (they may gain their payout id).
 */
export async function importStripe(
  db: Db,
  stripe: Stripe,
  query: StripeImportQuery,
  createdBy: string | null,
  onProgress: (lines: number) => void = () => {},
): Promise<ImportResult> {
  const detail =
    'payoutId' in query
      ? `payout ${query.payoutId}`
      : `${query.from.toISOString()}..${query.to.toISOString()}`;
  const writer = new StatementWriter(db, {
    provider: 'stripe',
    source: 'stripe-api',
    detail,
    createdBy,
  });
  let lines = 0;
  const add = async (txn: Stripe.BalanceTransaction, payoutId: string | null) => {
    await writer.add(fromStripeTransaction(txn, payoutId));
    lines += 1;
    if (lines % 1000 === 0) onProgress(lines);
  };
  if ('payoutId' in query) {
    await importPayout(writer, stripe, await stripe.payouts.retrieve(query.payoutId), add);
  } else {
    const created = { gte: seconds(query.from), lt: seconds(query.to) };
    for await (const txn of stripe.balanceTransactions.list({ created, limit: 100 })) {
      await add(txn, null);
    }
    for await (const payout of stripe.payouts.list({ created, limit: 100 })) {
      await importPayout(writer, stripe, payout, add);
    }
  }
  return writer.finish();
}

async function importPayout(
  writer: StatementWriter,
  stripe: Stripe,
  payout: Stripe.Payout,
  add: (txn: Stripe.BalanceTransaction, payoutId: string | null) => Promise<void>,
): Promise<void> {
  const record: PayoutRecord = {
    provider: 'stripe',
    payoutId: payout.id,
    amount: payout.amount,
    currency: payout.currency.toUpperCase(),
    status: payout.status,
    createdAt: new Date(payout.created * 1000).toISOString(),
    arrivalDate: new Date(payout.arrival_date * 1000).toISOString(),
  };
  await writer.addPayouts([record]);
  for await (const txn of stripe.balanceTransactions.list({ payout: payout.id, limit: 100 })) {
    await add(txn, payout.id);
  }
}

// The statements of a set-based apply (app/apply-batch.ts): one context read that locks the
// batch's donations in id order, then one statement per table, whatever the batch's size.
import type { Money } from '@bfi/money';
import type { DonationState } from '../domain/donation';
import type { DonationLookup, DonationRow, Tx } from './repository';
import { DeliveryAlreadyFinished } from './webhook-inbox';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface BatchContext {
  donations: DonationRow[];
  /** Provider refund ids of the batch already recorded (such a delivery takes the slow path). */
  recordedRefunds: Set<string>;
}

/**
 * Locks every donation the lookups name — in id order, so two appliers with overlapping batches
 * queue up instead of deadlocking — and reads them (with their provider refs) after the lock.
 */
export async function loadBatchContext(
  tx: Tx,
  provider: string,
  lookups: DonationLookup[],
  refundIds: string[],
): Promise<BatchContext> {
  const by = (key: string) =>
    lookups.flatMap((l) => (key in l ? [(l as Record<string, string>)[key]!] : []));
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT d.id::text FROM donation d LEFT JOIN provider_payment p ON p.donation_id = d.id
     WHERE d.id = ANY($1::uuid[]) OR p.payment_intent_id = ANY($2::text[])
        OR p.charge_id = ANY($3::text[]) OR p.capture_id = ANY($4::text[])
        OR p.order_id = ANY($5::text[])
     ORDER BY d.id FOR UPDATE OF d`,
    by('donationId').filter((id) => UUID.test(id)),
    by('paymentIntentId'),
    by('chargeId'),
    by('captureId'),
    by('orderId'),
  );
  const ids = locked.map((r) => r.id);
  const donations =
    ids.length === 0
      ? []
      : await tx.donation.findMany({ where: { id: { in: ids } }, include: { payment: true } });
  const recorded =
    refundIds.length === 0
      ? []
      : await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT provider_refund_id AS id FROM refund
           WHERE provider = $1 AND provider_refund_id = ANY($2::text[])`,
          provider,
          refundIds,
        );
  return { donations, recordedRefunds: new Set(recorded.map((r) => r.id)) };
}

/** Reserves `count` receipt numbers of the campaign and year at once: the first of them. */
export async function reserveReceiptNumbers(
  tx: Tx,
  campaign: string,
  year: number,
  count: number,
): Promise<number> {
  const [counter] = await tx.$queryRawUnsafe<{ last: number }[]>(
    `INSERT INTO receipt_counter (campaign, year, last) VALUES ($1, $2, $3)
     ON CONFLICT (campaign, year) DO UPDATE SET last = receipt_counter.last + $3
     RETURNING last`,
    campaign,
    year,
    count,
  );
  return counter!.last - count + 1;
}

export interface DonationWrite {
  id: string;
  state: DonationState;
  receipt: { number: string; at: Date } | null;
}

/** Every touched donation's state (and new receipt number) in one UPDATE. */
export async function saveDonations(tx: Tx, rows: DonationWrite[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE donation d SET status = v.status, refunded_minor = v.refunded,
       dispute_status = v.dispute, fee_minor = v.fee_minor, fee_currency = v.fee_currency,
       failure_reason = v.failure, receipt_number = COALESCE(v.receipt, d.receipt_number),
       receipt_issued_at = COALESCE(v.receipt_at, d.receipt_issued_at), updated_at = $10
     FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[],
       $7::text[], $8::text[], $9::timestamptz[])
       AS v(id, status, refunded, dispute, fee_minor, fee_currency, failure, receipt, receipt_at)
     WHERE d.id = v.id`,
    rows.map((r) => r.id),
    rows.map((r) => r.state.status),
    rows.map((r) => BigInt(r.state.refundedMinor)),
    rows.map((r) => r.state.disputeStatus),
    rows.map((r) => (r.state.fee ? BigInt(r.state.fee.minor) : null)),
    rows.map((r) => r.state.fee?.currency ?? null),
    rows.map((r) => r.state.failureReason),
    rows.map((r) => r.receipt?.number ?? null),
    rows.map((r) => r.receipt?.at ?? null),
    at,
  );
}

export interface RefsWrite {
  donationId: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  chargeId: string | null;
  orderId: string | null;
  captureId: string | null;
}

/** New provider refs of the batch in one UPDATE; null never erases a known ref. */
export async function saveRefs(tx: Tx, rows: RefsWrite[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const col = (k: keyof RefsWrite) => rows.map((r) => r[k]);
  await tx.$executeRawUnsafe(
    `UPDATE provider_payment p SET
       checkout_session_id = COALESCE(v.cs, p.checkout_session_id),
       payment_intent_id = COALESCE(v.pi, p.payment_intent_id),
       charge_id = COALESCE(v.ch, p.charge_id), order_id = COALESCE(v.ord, p.order_id),
       capture_id = COALESCE(v.cap, p.capture_id), updated_at = $7
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS v(id, cs, pi, ch, ord, cap)
     WHERE p.donation_id = v.id`,
    col('donationId'),
    col('checkoutSessionId'),
    col('paymentIntentId'),
    col('chargeId'),
    col('orderId'),
    col('captureId'),
    at,
  );
}

export interface SideRow {
  donationId: string;
  id: string;
  amount: Money;
  /** Refund: its reason; dispute: its status. */
  text: string;
}

/** The batch's refunds in one INSERT (the unique provider refund id still guards them). */
export async function insertRefunds(tx: Tx, provider: string, rows: SideRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO refund (id, donation_id, provider, provider_refund_id, amount_minor, currency, reason)
     SELECT gen_random_uuid(), v.d, $1, v.r, v.a, v.c, v.t
     FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS v(d, r, a, c, t)
     ON CONFLICT (provider, provider_refund_id) DO NOTHING`,
    provider,
    ...sideColumns(rows),
  );
}

/** The batch's disputes (one row per dispute id, its last status) in one upsert. */
export async function upsertDisputes(tx: Tx, provider: string, rows: SideRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO dispute (id, donation_id, provider, provider_dispute_id, amount_minor, currency,
       status, updated_at)
     SELECT gen_random_uuid(), v.d, $1, v.r, v.a, v.c, v.t, now()
     FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[]) AS v(d, r, a, c, t)
     ON CONFLICT (provider, provider_dispute_id)
       DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
    provider,
    ...sideColumns(rows),
  );
}

function sideColumns(rows: SideRow[]) {
  return [
    rows.map((r) => r.donationId),
    rows.map((r) => r.id),
    rows.map((r) => BigInt(r.amount.minor)),
    rows.map((r) => r.amount.currency),
    rows.map((r) => r.text),
  ];
}

/** The receipt mails of the batch's first successes, once per donation. */
export async function queueReceiptMails(tx: Tx, donationIds: string[]): Promise<void> {
  if (donationIds.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO receipt_mail (donation_id, status, updated_at)
     SELECT unnest($1::uuid[]), 'pending', now() ON CONFLICT (donation_id) DO NOTHING`,
    donationIds,
  );
}

/**
 * Marks every delivery of the batch applied, guarded by `state = 'received'`: if any was finished
 * by someone else first (a lease ran out), throws DeliveryAlreadyFinished and nothing commits.
 */
export async function finishDeliveries(
  tx: Tx,
  rows: { id: string; outcome: string; donationId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const updated = await tx.$executeRawUnsafe(
    `UPDATE webhook_delivery w SET state = 'applied', outcome = v.outcome, donation_id = v.d,
       applied_at = now(), attempts = w.attempts + 1, claimed_until = NULL, last_error = NULL
     FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS v(id, outcome, d)
     WHERE w.id = v.id AND w.state = 'received'`,
    rows.map((r) => r.id),
    rows.map((r) => r.outcome.slice(0, 500)),
    rows.map((r) => r.donationId),
  );
  if (updated !== rows.length) throw new DeliveryAlreadyFinished();
}

import { minorFromColumn, moneyFromColumn, type Money } from '@bfi/money';
import type { DonationState, DonationStatus, DisputeStatus } from '../domain/donation';
import { PrismaClient, type Donation, type Prisma, type ProviderPayment } from './generated/client';

export { PrismaClient };
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
export type DonationRow = Donation & { payment: ProviderPayment | null };

/** Provider references we learn over time; null/undefined never erases a known one. */
export interface ProviderRefsPatch {
  checkoutSessionId?: string | null;
  paymentIntentId?: string | null;
  chargeId?: string | null;
  orderId?: string | null;
  captureId?: string | null;
}

/** How a webhook names the donation it is about. */
export type DonationLookup =
  | { donationId: string }
  | { paymentIntentId: string }
  | { chargeId: string }
  | { captureId: string }
  | { orderId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function stateOf(row: Donation): DonationState {
  return {
    status: row.status as DonationStatus,
    gross: moneyFromColumn(row.amountMinor, row.currency),
    refundedMinor: minorFromColumn(row.refundedMinor),
    disputeStatus: (row.disputeStatus ?? null) as DisputeStatus,
    fee:
      row.feeMinor !== null && row.feeCurrency
        ? moneyFromColumn(row.feeMinor, row.feeCurrency)
        : null,
    failureReason: row.failureReason,
  };
}

export async function findDonationId(tx: Tx, lookup: DonationLookup): Promise<string | null> {
  if ('donationId' in lookup) return UUID.test(lookup.donationId) ? lookup.donationId : null;
  const payment = await tx.providerPayment.findFirst({
    where: lookup,
    select: { donationId: true },
  });
  return payment?.donationId ?? null;
}

/** Reads the donation and locks its row until the transaction ends: one writer per donation. */
export async function lockDonation(tx: Tx, donationId: string): Promise<DonationRow | null> {
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
    'SELECT id::text FROM donation WHERE id = $1::uuid FOR UPDATE',
    donationId,
  );
  if (locked.length === 0) return null;
  return tx.donation.findUnique({ where: { id: donationId }, include: { payment: true } });
}

/** The donation columns that hold its state (and the receipt number, once issued). */
export function stateColumns(state: DonationState, receipt?: { number: string; at: Date } | null) {
  return {
    ...(receipt ? { receiptNumber: receipt.number, receiptIssuedAt: receipt.at } : {}),
    status: state.status,
    refundedMinor: BigInt(state.refundedMinor),
    disputeStatus: state.disputeStatus,
    feeMinor: state.fee ? BigInt(state.fee.minor) : null,
    feeCurrency: state.fee?.currency ?? null,
    failureReason: state.failureReason,
  };
}

export async function saveState(
  tx: Tx,
  donationId: string,
  state: DonationState,
  receipt?: { number: string; at: Date },
): Promise<void> {
  await tx.donation.update({
    where: { id: donationId },
    data: stateColumns(state, receipt),
  });
}

export async function patchRefs(
  tx: Tx,
  donationId: string,
  refs: ProviderRefsPatch,
): Promise<void> {
  const data = Object.fromEntries(
    Object.entries(refs).filter(([, v]) => v !== null && v !== undefined),
  );
  if (Object.keys(data).length === 0) return;
  await tx.providerPayment.update({ where: { donationId }, data });
}

/** Inserts the refund once per provider refund id; false when it is already recorded. */
export async function recordRefund(
  tx: Tx,
  r: { donationId: string; provider: string; refundId: string; amount: Money; reason: string },
): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO refund (id, donation_id, provider, provider_refund_id, amount_minor, currency, reason)
     VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6) ON CONFLICT (provider, provider_refund_id) DO NOTHING`,
    r.donationId,
    r.provider,
    r.refundId,
    BigInt(r.amount.minor),
    r.amount.currency,
    r.reason,
  );
  return inserted === 1;
}

export async function upsertDispute(
  tx: Tx,
  d: { donationId: string; provider: string; disputeId: string; amount: Money; status: string },
): Promise<void> {
  await tx.dispute.upsert({
    where: { provider_providerDisputeId: { provider: d.provider, providerDisputeId: d.disputeId } },
    create: {
      donationId: d.donationId,
      provider: d.provider,
      providerDisputeId: d.disputeId,
      amountMinor: BigInt(d.amount.minor),
      currency: d.amount.currency,
      status: d.status,
    },
    update: { status: d.status },
  });
}

/**
 * Donations changed after `since`, oldest change first, keyset-paged on (updatedAt, id) so a
 * burst larger than one page is read whole.
 */
export async function* donationsChangedSince(
  db: Db,
  since: Date,
  pageSize = 500,
): AsyncGenerator<DonationRow> {
  let after: { updatedAt: Date; id: string } | null = null;
  for (;;) {
    const page: DonationRow[] = await db.donation.findMany({
      where: after
        ? {
            OR: [
              { updatedAt: { gt: after.updatedAt } },
              { updatedAt: after.updatedAt, id: { gt: after.id } },
            ],
          }
        : { updatedAt: { gt: since } },
      include: { payment: true },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      take: pageSize,
    });
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { updatedAt: last.updatedAt, id: last.id };
  }
}

/**
 * The next receipt number of its campaign and year, e.g. "BFI-2026-000042" (saveState stores it
 * with the donation's state, so the success costs one UPDATE of the donation).
 * The counter row is locked by the upsert until the transaction ends, so numbers are handed out
 * one at a time, and a rolled-back transaction gives its number back: the sequence has no gaps.
 */
export async function nextReceiptNumber(tx: Tx, campaign: string, at: Date): Promise<string> {
  const year = receiptYear(at);
  const [counter] = await tx.$queryRawUnsafe<{ last: number }[]>(
    `INSERT INTO receipt_counter (campaign, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (campaign, year) DO UPDATE SET last = receipt_counter.last + 1
     RETURNING last`,
    campaign,
    year,
  );
  return receiptNumberOf(campaign, year, counter!.last);
}

const MINSK_YEAR = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Europe/Minsk' });

/** The campaign runs in Belarus: the receipt's year is the year in Minsk. */
export function receiptYear(at: Date): number {
  return Number(MINSK_YEAR.format(at));
}

export function receiptNumberOf(campaign: string, year: number, n: number): string {
  return `${campaign}-${year}-${String(n).padStart(6, '0')}`;
}

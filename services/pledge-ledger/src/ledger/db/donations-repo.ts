import { moneyFromColumn } from '@bfi/money';
import type { DonationState, FeePolicy, Fund, ProviderName } from '../domain';
import { toNumber, type Tx } from '../../db/client';

export interface PostingContext {
  /** The fact is already posted (its first entry's idempotency key exists). */
  posted: boolean;
  /** The donation, locked FOR UPDATE for the rest of the transaction; null if not seen yet. */
  donation: DonationState | null;
  fund: Fund | null;
  /** Events of this donation waiting in parked_event. */
  parked: number;
}

export interface DonationJson {
  id: string;
  fund: string;
  channel: string;
  office_id: string | null;
  provider: string;
  currency: string;
  gross_minor: number;
  refunded_minor: number;
  held_minor: number;
  lost_minor: number;
  provider_ref: string | null;
  occurred_at: string;
}

/**
 * Everything a posting decision needs, in ONE round trip (the consumer's cost is dominated by
 * round trips, not by SQL): is the fact posted, the donation (locked), its disputes, the fund,
 * and whether events are parked for it.
 */
export async function loadPostingContext(
  tx: Tx,
  q: { key: string; donationId: string; fund: string },
): Promise<PostingContext> {
  const [row] = await tx.$queryRawUnsafe<
    {
      posted: boolean;
      fund: FundJson | null;
      parked: bigint;
      donation: DonationJson | null;
      disputes: { id: string; amount_minor: number; status: string }[] | null;
    }[]
  >(
    `SELECT
       EXISTS (SELECT 1 FROM journal_entry WHERE idempotency_key = $1) AS posted,
       (SELECT row_to_json(f) FROM fund f WHERE f.slug = $3) AS fund,
       (SELECT count(*) FROM parked_event WHERE donation_id = $2::uuid AND refused_at IS NULL) AS parked,
       (SELECT row_to_json(d) FROM (SELECT * FROM ledger_donation WHERE id = $2::uuid FOR UPDATE) d) AS donation,
       (SELECT json_agg(x) FROM ledger_dispute x WHERE donation_id = $2::uuid) AS disputes`,
    q.key,
    q.donationId,
    q.fund,
  );
  if (!row) throw new Error('posting context query returned no row');
  return {
    posted: row.posted,
    parked: toNumber(row.parked),
    fund: row.fund ? toFund(row.fund) : null,
    donation: row.donation ? toState(row.donation, row.disputes ?? []) : null,
  };
}

export interface FundJson {
  slug: string;
  name: string;
  restricted: boolean;
  fee_policy: string;
  description: string | null;
}

export function toFund(f: FundJson): Fund {
  return {
    slug: f.slug,
    name: f.name,
    restricted: f.restricted,
    feePolicy: f.fee_policy as FeePolicy,
    description: f.description,
  };
}

export function toState(
  d: DonationJson,
  disputes: { id: string; amount_minor: number; status: string }[],
): DonationState {
  return {
    donationId: d.id,
    fund: d.fund,
    channel: d.channel,
    officeId: d.office_id,
    provider: d.provider as ProviderName,
    providerRef: d.provider_ref,
    // The one checked way from stored columns to money: a currency the ledger does not keep or
    // an amount past exact integers fails here, never further down a posting decision.
    currency: moneyFromColumn(d.gross_minor, d.currency).currency,
    gross: toNumber(d.gross_minor),
    refunded: toNumber(d.refunded_minor),
    held: toNumber(d.held_minor),
    lost: toNumber(d.lost_minor),
    occurredAt: new Date(d.occurred_at).toISOString(),
    disputes: Object.fromEntries(
      disputes.map((x) => [
        x.id,
        { amount: toNumber(x.amount_minor), status: x.status as 'open' | 'won' | 'lost' },
      ]),
    ),
  };
}

/** Stores the state a decision produced (new donation, or updated amounts and disputes). */
export async function saveDonation(
  tx: Tx,
  before: DonationState | null,
  s: DonationState,
): Promise<void> {
  const amounts = {
    refundedMinor: BigInt(s.refunded),
    heldMinor: BigInt(s.held),
    lostMinor: BigInt(s.lost),
  };
  if (before === null) {
    await tx.ledgerDonation.create({
      data: {
        id: s.donationId,
        fund: s.fund,
        channel: s.channel,
        officeId: s.officeId,
        provider: s.provider,
        currency: s.currency,
        grossMinor: BigInt(s.gross),
        providerRef: s.providerRef,
        occurredAt: new Date(s.occurredAt),
        ...amounts,
      },
    });
  } else {
    await tx.ledgerDonation.update({ where: { id: s.donationId }, data: amounts });
  }
  for (const [id, dispute] of Object.entries(s.disputes)) {
    const old = before?.disputes[id];
    if (old?.status === dispute.status) continue;
    await tx.ledgerDispute.upsert({
      where: { id },
      create: {
        id,
        donationId: s.donationId,
        amountMinor: BigInt(dispute.amount),
        status: dispute.status,
      },
      update: { status: dispute.status },
    });
  }
}

// The set-based form of donations-repo.ts for a consumer chunk: one statement reads what every
// posting decision of the chunk needs, one statement stores the donations and disputes they
// produced. Round trips, not SQL, are the consumer's cost (see docs/ARCHITECTURE.md).
import type { DonationState, Fund } from '../domain';
import { toNumber, type Tx } from '../../db/client';
import { toFund, toState, type DonationJson, type FundJson } from './donations-repo';

export interface BatchContext {
  /** Idempotency keys among those asked that are already posted. */
  posted: Set<string>;
  /** The donations that exist, locked FOR UPDATE for the rest of the transaction. */
  donations: Map<string, DonationState>;
  funds: Map<string, Fund>;
  /** Events waiting in parked_event, per donation (absent: none). */
  parked: Map<string, number>;
}

type DisputeJson = { id: string; donation_id: string; amount_minor: number; status: string };

/**
 * Everything the chunk's decisions need, in ONE round trip. The donations are locked in id
 * order, so two ledger instances locking overlapping sets (a partition moving between them)
 * queue up instead of deadlocking.
 */
export async function loadBatchContext(
  tx: Tx,
  q: { keys: string[]; donationIds: string[]; funds: string[] },
): Promise<BatchContext> {
  const [row] = await tx.$queryRawUnsafe<
    {
      posted: string[];
      funds: FundJson[];
      parked: { donation_id: string; n: number }[];
      donations: DonationJson[];
      disputes: DisputeJson[];
    }[]
  >(
    `WITH d AS (SELECT * FROM ledger_donation WHERE id = ANY($2::uuid[]) ORDER BY id FOR UPDATE)
     SELECT
       ARRAY(SELECT idempotency_key FROM journal_entry WHERE idempotency_key = ANY($1::text[])) AS posted,
       (SELECT COALESCE(json_agg(f), '[]') FROM fund f WHERE f.slug = ANY($3::text[])) AS funds,
       (SELECT COALESCE(json_agg(p), '[]') FROM (
          SELECT donation_id, count(*) AS n FROM parked_event
          WHERE donation_id = ANY($2::uuid[]) AND refused_at IS NULL GROUP BY donation_id) p) AS parked,
       (SELECT COALESCE(json_agg(d), '[]') FROM d) AS donations,
       (SELECT COALESCE(json_agg(x), '[]') FROM ledger_dispute x WHERE donation_id = ANY($2::uuid[])) AS disputes`,
    q.keys,
    q.donationIds,
    q.funds,
  );
  if (!row) throw new Error('batch posting context query returned no row');
  const disputesOf = new Map<string, DisputeJson[]>();
  for (const x of row.disputes)
    disputesOf.set(x.donation_id, [...(disputesOf.get(x.donation_id) ?? []), x]);
  return {
    posted: new Set(row.posted),
    funds: new Map(row.funds.map((f) => [f.slug, toFund(f)])),
    parked: new Map(row.parked.map((p) => [p.donation_id, toNumber(p.n)])),
    donations: new Map(row.donations.map((d) => [d.id, toState(d, disputesOf.get(d.id) ?? [])])),
  };
}

export interface DonationChange {
  /** As loaded (null: new donation). */
  before: DonationState | null;
  after: DonationState;
  /** Installment of a monthly gift (from the payment.succeeded that created the donation). */
  recurrence?: { subscriptionId: string; installment: number };
}

/**
 * Stores the chunk's donations and disputes in ONE statement: new donations are inserted (a
 * concurrent insert of the same id fails the chunk instead of being overwritten), known ones
 * get their amounts, disputes whose status changed are upserted.
 */
export async function saveDonations(tx: Tx, changes: DonationChange[]): Promise<void> {
  if (changes.length === 0) return;
  const { created, updated, disputes } = rowsOf(changes);
  await tx.$executeRawUnsafe(
    `WITH c AS (
       INSERT INTO ledger_donation (id, fund, channel, office_id, provider, currency, gross_minor, refunded_minor,
                                    held_minor, lost_minor, provider_ref, occurred_at, subscription_id, installment)
       SELECT id, fund, channel, office_id, provider, currency, gross_minor, refunded_minor,
              held_minor, lost_minor, provider_ref, occurred_at, subscription_id, installment
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, fund text, channel text, office_id text, provider text,
            currency text, gross_minor bigint, refunded_minor bigint, held_minor bigint, lost_minor bigint,
            provider_ref text, occurred_at timestamptz, subscription_id uuid, installment int)
       RETURNING 1
     ), u AS (
       UPDATE ledger_donation d SET refunded_minor = x.refunded_minor, held_minor = x.held_minor,
              lost_minor = x.lost_minor
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, refunded_minor bigint, held_minor bigint, lost_minor bigint)
       WHERE d.id = x.id
       RETURNING 1
     ), x AS (
       INSERT INTO ledger_dispute (id, donation_id, amount_minor, status)
       SELECT id, donation_id, amount_minor, status
       FROM jsonb_to_recordset($3::jsonb) AS y(id text, donation_id uuid, amount_minor bigint, status text)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM c) + (SELECT count(*) FROM u) + (SELECT count(*) FROM x)`,
    JSON.stringify(created),
    JSON.stringify(updated),
    JSON.stringify(disputes),
  );
}

/** The jsonb_to_recordset inputs: new donations, amounts of known ones, changed disputes. */
function rowsOf(changes: DonationChange[]) {
  const amounts = (s: DonationState) => ({
    id: s.donationId,
    refunded_minor: String(s.refunded),
    held_minor: String(s.held),
    lost_minor: String(s.lost),
  });
  const created = changes
    .filter((c) => c.before === null)
    .map(({ after: s, recurrence: r }) => ({
      ...amounts(s),
      fund: s.fund,
      channel: s.channel,
      office_id: s.officeId,
      provider: s.provider,
      currency: s.currency,
      gross_minor: String(s.gross),
      provider_ref: s.providerRef,
      occurred_at: s.occurredAt,
      subscription_id: r?.subscriptionId ?? null,
      installment: r?.installment ?? null,
    }));
  const updated = changes.filter((c) => c.before !== null).map((c) => amounts(c.after));
  const disputes = changes.flatMap(({ before, after }) =>
    Object.entries(after.disputes)
      .filter(([id, d]) => before?.disputes[id]?.status !== d.status)
      .map(([id, d]) => ({
        id,
        donation_id: after.donationId,
        amount_minor: String(d.amount),
        status: d.status,
      })),
  );
  return { created, updated, disputes };
}

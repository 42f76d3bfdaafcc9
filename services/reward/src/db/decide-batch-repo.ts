// Set-based writes of a chunk of reward decisions: one statement per table, whatever the size
// of the chunk (issue #14; the per-event forms are in rewards-repo.ts and stock-repo.ts).
import { randomBytes } from 'node:crypto';
import {
  generateClaimCode,
  type Channel,
  type OutOfStockPolicy,
  type Rule,
  type RewardKind,
} from '../domain';
import type { Tx } from './client';
import type { DecisionInput, NewReward } from './rewards-repo';

interface RuleRow {
  id: string;
  campaign: string;
  channel: string;
  fund: string | null;
  kind: string;
  outOfStock: string;
  priority: number;
  installmentsUpTo: number | null;
  activeFrom: Date;
  activeUntil: Date | null;
  createdAt: Date;
  minimums: Record<string, string>;
}

/**
 * The rules of these channels that may be active at any moment of [from, to], minimums in, in ONE
 * statement (Prisma's include would send two); the domain makes the final call per donation.
 */
export async function rulesForChannels(
  tx: Tx,
  channels: Channel[],
  from: Date,
  to: Date,
): Promise<Rule[]> {
  const rows = await tx.$queryRawUnsafe<RuleRow[]>(
    `SELECT r.id::text AS id, r.campaign, r.channel, r.fund, r.kind, r.out_of_stock AS "outOfStock",
            r.priority, r.installments_up_to AS "installmentsUpTo", r.active_from AS "activeFrom",
            r.active_until AS "activeUntil", r.created_at AS "createdAt",
            coalesce((SELECT json_object_agg(m.currency, m.minor::text) FROM rule_minimum m
                       WHERE m.rule_id = r.id), '{}'::json) AS minimums
       FROM reward_rule r
      WHERE r.channel = ANY($1::text[]) AND r.active_from <= $3::timestamptz
        AND (r.active_until IS NULL OR r.active_until > $2::timestamptz)`,
    channels,
    from.toISOString(),
    to.toISOString(),
  );
  return rows.map((row) => ({
    ...row,
    channel: row.channel as Channel,
    kind: row.kind as RewardKind,
    outOfStock: row.outOfStock as OutOfStockPolicy,
    minimums: Object.fromEntries(Object.entries(row.minimums).map(([c, m]) => [c, Number(m)])),
  }));
}

/** The decisions in ONE statement; returns the donation ids that were not decided before. */
export async function insertDecisions(tx: Tx, rows: DecisionInput[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO decision (donation_id, event_id, outcome, reason, rule_id, channel, office_id, fund,
                           gross_minor, currency, threshold_minor, decided_at)
     SELECT t.donation_id, t.event_id, t.outcome, t.reason, t.rule_id, t.channel, t.office_id, t.fund,
            t.gross_minor, t.currency, t.threshold_minor, t.decided_at
       FROM jsonb_to_recordset($1::jsonb) AS t(donation_id uuid, event_id uuid, outcome text,
            reason text, rule_id uuid, channel text, office_id text, fund text, gross_minor bigint,
            currency text, threshold_minor bigint, decided_at timestamptz)
     ON CONFLICT DO NOTHING
     RETURNING donation_id::text AS id`,
    JSON.stringify(
      rows.map((d) => ({
        donation_id: d.donationId,
        event_id: d.eventId,
        outcome: d.outcome,
        reason: d.reason,
        rule_id: d.ruleId,
        channel: d.channel,
        office_id: d.officeId,
        fund: d.fund,
        gross_minor: d.grossMinor,
        currency: d.currency,
        threshold_minor: d.thresholdMinor,
        decided_at: d.decidedAt.toISOString(),
      })),
    ),
  );
  return new Set(inserted.map((r) => r.id.toLowerCase()));
}

/**
 * The rewards in ONE statement, each with a fresh claim code; the (very unlikely) ones whose code
 * was taken draw again, as insertReward does.
 */
export async function insertRewards(tx: Tx, rewards: NewReward[]): Promise<void> {
  let left = rewards;
  for (let attempt = 0; attempt < 8 && left.length > 0; attempt++) {
    const codes = new Set<string>();
    while (codes.size < left.length) codes.add(generateClaimCode(randomBytes));
    const drawn = [...codes];
    const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO reward (id, donation_id, kind, status, office_id, claim_code, donor_secret_hash,
                           claim_expires_at, fallback, created_at, updated_at)
       SELECT t.id, t.donation_id, t.kind, t.status, t.office_id, t.claim_code, t.donor_secret_hash,
              NULL, false, t.created_at, t.created_at
         FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, donation_id uuid, kind text, status text,
              office_id text, claim_code text, donor_secret_hash text, created_at timestamptz)
       ON CONFLICT DO NOTHING
       RETURNING id::text AS id`,
      JSON.stringify(
        left.map((r, i) => ({
          id: r.id,
          donation_id: r.donationId,
          kind: r.kind,
          status: r.status,
          office_id: r.officeId,
          claim_code: drawn[i],
          donor_secret_hash: r.donorSecretHash,
          created_at: r.createdAt.toISOString(),
        })),
      ),
    );
    const done = new Set(inserted.map((r) => r.id.toLowerCase()));
    left = left.filter((r) => !done.has(r.id.toLowerCase()));
  }
  if (left.length > 0) throw new Error('could not draw unused claim codes in 8 attempts');
}

/**
 * Creates the offices' stock rows if missing and locks them, in office order (two consumers
 * locking overlapping sets queue up instead of deadlocking): ONE statement. The upsert's no-op
 * update is what locks an existing row and returns its latest counters.
 */
export async function lockOffices(tx: Tx, officeIds: string[]): Promise<Map<string, number>> {
  const rows = await tx.$queryRawUnsafe<{ officeId: string; available: number }[]>(
    `INSERT INTO office_stock (office_id)
     SELECT o FROM unnest($1::text[]) AS o ORDER BY o
     ON CONFLICT (office_id) DO UPDATE SET office_id = EXCLUDED.office_id
     RETURNING office_id AS "officeId", available`,
    [...officeIds].sort(),
  );
  return new Map(rows.map((r) => [r.officeId, r.available]));
}

export interface StockPlan {
  /** Rewards that take a pack, in arrival order (their office rows are locked). */
  reserved: { rewardId: string; officeId: string }[];
  /** Physical rewards the office had no pack for, turned into the digital pack. */
  fallbacks: string[];
  claimExpiresAt: Date;
  actor: string;
}

/**
 * Counters, reservation lines and the rewards' new status in ONE statement. The rows are locked
 * (lockOffices), so every guard holds; a count that differs means a bug, and fails the chunk.
 */
export async function applyStockPlan(tx: Tx, plan: StockPlan): Promise<void> {
  if (plan.reserved.length === 0 && plan.fallbacks.length === 0) return;
  const perOffice = new Map<string, number>();
  for (const r of plan.reserved) perOffice.set(r.officeId, (perOffice.get(r.officeId) ?? 0) + 1);
  const [counts] = await tx.$queryRawUnsafe<{ s: number; m: number; a: number; f: number }[]>(
    `WITH s AS (
       UPDATE office_stock o SET available = o.available - t.k, reserved = o.reserved + t.k, updated_at = now()
         FROM unnest($1::text[], $2::int[]) AS t(office_id, k)
        WHERE o.office_id = t.office_id AND o.available >= t.k
       RETURNING 1),
     m AS (
       INSERT INTO stock_movement (office_id, kind, available_delta, reserved_delta, reward_id, reason, actor)
       SELECT r.office_id, 'reservation', -1, 1, r.id, NULL, $5
         FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS r(id, office_id, ord) ORDER BY r.ord
       RETURNING 1),
     a AS (
       UPDATE reward SET status = 'available', claim_expires_at = $6::timestamptz, updated_at = now()
        WHERE id = ANY($3::uuid[]) AND status = 'waiting-list'
       RETURNING 1),
     f AS (
       UPDATE reward SET kind = 'digital-sticker-pack', status = 'available', fallback = true, updated_at = now()
        WHERE id = ANY($7::uuid[])
       RETURNING 1)
     SELECT (SELECT count(*) FROM s)::int AS s, (SELECT count(*) FROM m)::int AS m,
            (SELECT count(*) FROM a)::int AS a, (SELECT count(*) FROM f)::int AS f`,
    [...perOffice.keys()],
    [...perOffice.values()],
    plan.reserved.map((r) => r.rewardId),
    plan.reserved.map((r) => r.officeId),
    plan.actor,
    plan.claimExpiresAt.toISOString(),
    plan.fallbacks,
  );
  const n = plan.reserved.length;
  if (
    !counts ||
    counts.s !== perOffice.size ||
    counts.m !== n ||
    counts.a !== n ||
    counts.f !== plan.fallbacks.length
  ) {
    throw new Error(`stock plan did not apply as locked: ${JSON.stringify(counts)}`);
  }
}

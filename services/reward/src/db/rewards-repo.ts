import { randomBytes } from 'node:crypto';
import { generateClaimCode, type RewardKind, type RewardState, type RewardStatus } from '../domain';
import type { Reader, Tx } from './client';
import type { Decision, Reward } from './generated/client';

export type { Decision, Reward };

export interface DecisionInput {
  donationId: string;
  eventId: string;
  outcome: 'rewarded' | 'no-reward';
  reason: string;
  ruleId: string | null;
  channel: string;
  officeId: string | null;
  fund: string;
  grossMinor: number;
  currency: string;
  thresholdMinor: number | null;
  decidedAt: Date;
}

/** Records the one decision of a donation; false when the donation was already decided. */
export async function insertDecision(tx: Tx, d: DecisionInput): Promise<boolean> {
  const { grossMinor, thresholdMinor, ...rest } = d;
  const { count } = await tx.decision.createMany({
    data: [
      {
        ...rest,
        grossMinor: BigInt(grossMinor),
        thresholdMinor: thresholdMinor === null ? null : BigInt(thresholdMinor),
      },
    ],
    skipDuplicates: true,
  });
  return count === 1;
}

export async function findDecision(db: Reader, donationId: string) {
  return db.decision.findUnique({ where: { donationId }, include: { reward: true } });
}

/** Locks the decision row: reversals of one donation apply one after the other. */
export async function lockDecision(tx: Tx, donationId: string): Promise<Decision | null> {
  const rows = await tx.$queryRaw<{ donation_id: string }[]>`
    SELECT donation_id FROM decision WHERE donation_id = ${donationId}::uuid FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.decision.findUnique({ where: { donationId } });
}

export async function addReversed(tx: Tx, donationId: string, amountMinor: number): Promise<void> {
  // LEAST keeps the CHECK (reversed ≤ gross) even if the ledger over-reports.
  await tx.$executeRaw`
    UPDATE decision SET reversed_minor = LEAST(gross_minor, reversed_minor + ${BigInt(amountMinor)})
     WHERE donation_id = ${donationId}::uuid`;
}

export interface NewReward {
  id: string;
  donationId: string;
  kind: RewardKind;
  status: 'available' | 'waiting-list';
  officeId: string | null;
  claimExpiresAt: Date | null;
  fallback: boolean;
  /** Hex SHA-256 of the donor secret (null for donations from before it existed). */
  donorSecretHash: string | null;
  createdAt: Date;
}

/** Inserts the reward with a fresh claim code; a (very unlikely) code collision draws again. */
export async function insertReward(tx: Tx, r: NewReward): Promise<Reward> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const claimCode = generateClaimCode(randomBytes);
    const [created] = await tx.reward.createManyAndReturn({
      data: [{ ...r, claimCode, updatedAt: r.createdAt }],
      skipDuplicates: true,
    });
    if (created) return created;
  }
  throw new Error('could not draw an unused claim code in 8 attempts');
}

export function stateOf(r: Reward): RewardState {
  return {
    status: r.status as RewardStatus,
    kind: r.kind as RewardKind,
    officeId: r.officeId,
    claimExpiresAt: r.claimExpiresAt,
    handedOutAt: r.handedOutAt,
    handedOutBy: r.handedOutBy,
    revokedReason: r.revokedReason,
  };
}

export async function findByCode(db: Reader, claimCode: string): Promise<Reward | null> {
  return db.reward.findUnique({ where: { claimCode } });
}

export async function findById(db: Reader, id: string): Promise<Reward | null> {
  return db.reward.findUnique({ where: { id } });
}

/**
 * The redemption itself: one conditional UPDATE. Of any number of concurrent callers exactly
 * one sees status 'available' and wins; the others match no row.
 */
export async function markHandedOut(
  tx: Tx,
  id: string,
  by: string | null,
  now: Date,
): Promise<boolean> {
  const { count } = await tx.reward.updateMany({
    where: {
      id,
      status: 'available',
      OR: [{ claimExpiresAt: null }, { claimExpiresAt: { gt: now } }],
    },
    data: { status: 'handed-out', handedOutAt: now, handedOutBy: by, updatedAt: now },
  });
  return count === 1;
}

export async function markExpired(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await tx.reward.updateMany({
    where: { id, status: 'available', claimExpiresAt: { lte: now } },
    data: { status: 'expired', updatedAt: now },
  });
  return count === 1;
}

/** Moves a reward from `from` to a revoked/flagged status; false if someone changed it first. */
export async function markRevoked(
  tx: Tx,
  id: string,
  from: RewardStatus,
  to: 'revoked' | 'flagged',
  reason: string,
  now: Date,
): Promise<boolean> {
  const { count } = await tx.reward.updateMany({
    where: { id, status: from },
    data: { status: to, revokedAt: now, revokedReason: reason, updatedAt: now },
  });
  return count === 1;
}

/** Waiting-list rewards of an office, oldest first, locked so two deliveries do not both serve one. */
export async function lockWaiting(tx: Tx, officeId: string, limit: number): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM reward
     WHERE office_id = ${officeId} AND status = 'waiting-list'
     ORDER BY created_at, id
     LIMIT ${limit}
     FOR UPDATE SKIP LOCKED`;
  return rows.map((r) => r.id);
}

export async function officeRewards(
  db: Reader,
  officeId: string,
  statuses: RewardStatus[],
  limit: number,
) {
  return db.reward.findMany({
    where: { officeId, kind: 'physical-sticker-pack', status: { in: statuses } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: limit,
  });
}

export async function handOutHistory(db: Reader, officeId: string, limit: number) {
  return db.reward.findMany({
    where: { officeId, kind: 'physical-sticker-pack', handedOutAt: { not: null } },
    orderBy: [{ handedOutAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
}

/** Rewards revoked after they were claimed: finance decides what to do about each. */
export async function flaggedRewards(db: Reader, limit: number) {
  return db.reward.findMany({
    where: { status: 'flagged' },
    orderBy: [{ revokedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    include: { decision: true },
  });
}

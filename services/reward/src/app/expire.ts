// Claim codes of physical packs expire (CLAIM_CODE_TTL_DAYS) so a forgotten code does not hold
// a pack forever: the pack goes back on the shelf with a 'return' line in the stock ledger.
import type { Tx } from '../db/client';
import { findById, markExpired, type Reward } from '../db/rewards-repo';
import { moveStock } from '../db/stock-repo';
import { SYSTEM_ACTOR, type RewardContext } from './context';

/** Expires one overdue reward inside the caller's transaction; true when it did. */
export async function expireReward(tx: Tx, reward: Reward, now: Date): Promise<boolean> {
  if (
    reward.status !== 'available' ||
    reward.officeId === null ||
    reward.kind !== 'physical-sticker-pack'
  )
    return false;
  if (!(await markExpired(tx, reward.id, now))) return false;
  await moveStock(tx, {
    officeId: reward.officeId,
    kind: 'return',
    availableDelta: +1,
    reservedDelta: -1,
    rewardId: reward.id,
    reason: 'claim code expired',
    actor: SYSTEM_ACTOR,
  });
  return true;
}

/** Expires every overdue reward (of one office, or all); returns how many. */
export async function expireOverdue(ctx: RewardContext, officeId?: string): Promise<number> {
  const now = ctx.clock();
  const due = await ctx.db.reward.findMany({
    where: {
      status: 'available',
      kind: 'physical-sticker-pack',
      claimExpiresAt: { lte: now },
      ...(officeId === undefined ? {} : { officeId }),
    },
    select: { id: true },
    take: 1000,
  });
  let expired = 0;
  for (const { id } of due) {
    const done = await ctx.db.$transaction(async (tx) => {
      const reward = await findById(tx, id);
      return reward ? expireReward(tx, reward, now) : false;
    });
    if (done) expired++;
  }
  return expired;
}

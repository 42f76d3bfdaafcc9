// ledger.donation-reversed → revoke an unclaimed reward (its pack back on the shelf) or flag a
// claimed one for finance. Runs inside the inbox transaction.
import { enqueue } from '@bfi/messaging';
import type { EventOf } from '@bfi/events';
import type { Tx } from '../db/client';
import { addReversed, findById, lockDecision, markRevoked } from '../db/rewards-repo';
import { moveStock } from '../db/stock-repo';
import { reversalRevokes, revocationOf, type RewardStatus } from '../domain';
import { rewardRevoked } from '../events/reward-events';
import { SYSTEM_ACTOR, type RewardContext } from './context';

export type RevokeOutcome =
  'unknown-donation' | 'no-reward' | 'kept' | 'already-revoked' | 'revoked' | 'flagged';

export async function revokeReward(
  ctx: RewardContext,
  tx: Tx,
  event: EventOf<'ledger.donation-reversed.v1'>,
): Promise<RevokeOutcome> {
  const d = event.data;
  const decision = await lockDecision(tx, d.donationId);
  // Posted before this service kept decisions: there is no reward to take back.
  if (!decision) return 'unknown-donation';
  await addReversed(tx, d.donationId, d.amount.minor);
  if (decision.outcome !== 'rewarded') return 'no-reward';
  const revokes = reversalRevokes({
    grossMinor: Number(decision.grossMinor),
    reversedMinor: Number(decision.reversedMinor),
    amountMinor: d.amount.minor,
    fullyReversed: d.fullyReversed,
    thresholdMinor: Number(decision.thresholdMinor ?? decision.grossMinor),
  });
  if (!revokes) return 'kept';

  const now = ctx.clock();
  // A redemption may commit between our read and our update; the conditional update notices
  // and we look again (at most a couple of rounds: statuses only move forward).
  for (let round = 0; round < 5; round++) {
    const reward = await tx.reward.findUnique({ where: { donationId: d.donationId } });
    if (!reward) return 'no-reward';
    const from = reward.status as RewardStatus;
    const to = revocationOf(from);
    if (!to) return 'already-revoked';
    if (!(await markRevoked(tx, reward.id, from, to.status, d.reason, now))) continue;
    if (
      from === 'available' &&
      reward.kind === 'physical-sticker-pack' &&
      reward.officeId !== null
    ) {
      await moveStock(tx, {
        officeId: reward.officeId,
        kind: 'return',
        availableDelta: +1,
        reservedDelta: -1,
        rewardId: reward.id,
        reason: `reward revoked: donation ${d.reason}`,
        actor: SYSTEM_ACTOR,
      });
    }
    const revoked = await findById(tx, reward.id);
    if (!revoked) throw new Error(`reward ${reward.id} vanished`);
    await enqueue(tx, [rewardRevoked(revoked, d.reason, now)], ctx.namespace);
    return to.status;
  }
  throw new Error(`reward of donation ${d.donationId} kept changing while being revoked`);
}

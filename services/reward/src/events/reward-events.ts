// reward.* events built from a reward row. Shapes come from @bfi/events only.
import { createEvent, type AnyEvent } from '@bfi/events';
import type { Reward } from '../db/rewards-repo';
import type { RewardKind } from '../domain';

export const SOURCE = '/services/reward';

/** What an event says of a reward (a row, or one the chunk is writing). */
type RewardFacts = Pick<Reward, 'id' | 'donationId' | 'kind' | 'officeId' | 'status'>;

function base(r: RewardFacts) {
  return {
    rewardId: r.id,
    donationId: r.donationId,
    kind: r.kind as RewardKind,
    officeId: r.officeId,
  };
}

export function rewardUnlocked(r: RewardFacts, at: Date): AnyEvent {
  if (r.status !== 'available' && r.status !== 'waiting-list') {
    throw new Error(`reward ${r.id} is ${r.status}, not unlocked`);
  }
  return createEvent(
    'reward.unlocked.v1',
    { ...base(r), status: r.status },
    { source: SOURCE, time: at },
  );
}

export function rewardHandedOut(r: Reward, at: Date): AnyEvent {
  return createEvent(
    'reward.handed-out.v1',
    { ...base(r), status: 'handed-out', handedOutBy: r.handedOutBy },
    { source: SOURCE, time: at },
  );
}

export function rewardRevoked(r: Reward, reason: 'refund' | 'dispute-lost', at: Date): AnyEvent {
  const status = r.status === 'flagged' ? 'flagged' : 'revoked';
  return createEvent(
    'reward.revoked.v1',
    { ...base(r), status, reason, wasClaimed: status === 'flagged' },
    { source: SOURCE, time: at },
  );
}

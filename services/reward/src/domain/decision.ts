// What a matched rule turns into, once we know whether the office had a pack.
import type { OutOfStockPolicy, RewardKind } from './rules';

export type RewardStatus =
  'available' | 'waiting-list' | 'handed-out' | 'revoked' | 'flagged' | 'expired';

export interface Placement {
  kind: RewardKind;
  status: 'available' | 'waiting-list';
  /** A physical pack was due, the office had none, the rule allowed the digital pack instead. */
  fallback: boolean;
  /** A pack was taken from the office's stock for this reward. */
  reserved: boolean;
}

/**
 * @param reserved for a physical pack: whether reserving one from the office's stock succeeded
 *                 (ignored for digital packs, which never run out).
 */
export function placeReward(
  kind: RewardKind,
  outOfStock: OutOfStockPolicy,
  reserved: boolean,
): Placement {
  if (kind === 'digital-sticker-pack')
    return { kind, status: 'available', fallback: false, reserved: false };
  if (reserved) return { kind, status: 'available', fallback: false, reserved: true };
  if (outOfStock === 'digital-fallback') {
    return { kind: 'digital-sticker-pack', status: 'available', fallback: true, reserved: false };
  }
  return { kind, status: 'waiting-list', fallback: false, reserved: false };
}

export interface ReversalFacts {
  grossMinor: number;
  /** Reversed before this event. */
  reversedMinor: number;
  /** This reversal. */
  amountMinor: number;
  fullyReversed: boolean;
  /** The rule minimum the donation met. */
  thresholdMinor: number;
}

/**
 * A full reversal always takes the reward back; a partial one only when what is left of the
 * donation no longer meets the rule's minimum (a 50 BYN gift refunded by 5 BYN keeps its pack).
 */
export function reversalRevokes(f: ReversalFacts): boolean {
  if (f.fullyReversed) return true;
  const remaining = f.grossMinor - Math.min(f.grossMinor, f.reversedMinor + f.amountMinor);
  return remaining < f.thresholdMinor;
}

/** What revoking does to a reward in each status; null: nothing left to revoke. */
export function revocationOf(
  status: RewardStatus,
): { status: 'revoked' | 'flagged'; wasClaimed: boolean } | null {
  switch (status) {
    case 'available':
    case 'waiting-list':
    case 'expired':
      return { status: 'revoked', wasClaimed: false };
    case 'handed-out':
      return { status: 'flagged', wasClaimed: true };
    default:
      return null;
  }
}

export interface RewardState {
  status: RewardStatus;
  kind: RewardKind;
  officeId: string | null;
  claimExpiresAt: Date | null;
  handedOutAt: Date | null;
  handedOutBy: string | null;
  revokedReason: string | null;
}

export type RedeemRefusal = {
  code: 'wrong-office' | 'digital' | 'used' | 'revoked' | 'waiting' | 'expired';
  detail: string;
};

/** Why a code cannot be redeemed by staff of `officeId` now; null when it can. */
export function redeemRefusal(r: RewardState, officeId: string, now: Date): RedeemRefusal | null {
  if (r.kind === 'digital-sticker-pack') {
    return {
      code: 'digital',
      detail:
        'This is a digital sticker pack code; the donor opens it online, there is nothing to hand out.',
    };
  }
  if (r.officeId !== officeId) {
    return {
      code: 'wrong-office',
      detail: `This claim code belongs to office ${r.officeId}; only its staff can hand out the pack.`,
    };
  }
  if (r.status === 'handed-out' || r.status === 'flagged') {
    const by = r.handedOutBy ? ` by ${r.handedOutBy}` : '';
    return {
      code: 'used',
      detail: `This code was already used: the pack was handed out on ${r.handedOutAt?.toISOString()}${by}.`,
    };
  }
  if (r.status === 'revoked') {
    return {
      code: 'revoked',
      detail: `This reward was revoked (${r.revokedReason ?? 'donation reversed'}); no pack can be handed out.`,
    };
  }
  if (r.status === 'waiting-list') {
    return {
      code: 'waiting',
      detail:
        'No pack is reserved for this code yet: the office is waiting for a delivery. It becomes redeemable once stock arrives.',
    };
  }
  if (r.status === 'expired' || (r.claimExpiresAt !== null && r.claimExpiresAt <= now)) {
    return {
      code: 'expired',
      detail: `This claim code expired on ${r.claimExpiresAt?.toISOString()}; its pack went back to the shelf.`,
    };
  }
  return null;
}

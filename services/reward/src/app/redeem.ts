// Staff redeem a claim code (physical pack), donors open a digital pack: each code works once.
import { enqueue } from '@bfi/messaging';
import { findByCode, findById, markHandedOut, stateOf, type Reward } from '../db/rewards-repo';
import { applyMovement } from '../db/stock-repo';
import { parseClaimCode, redeemRefusal, RewardError, type RedeemRefusal } from '../domain';
import { rewardHandedOut } from '../events/reward-events';
import type { RewardContext } from './context';
import { expireReward } from './expire';

type Attempt = { ok: true; reward: Reward } | { ok: false; refusal: RedeemRefusal };

export const STATUS_OF_REFUSAL: Record<RedeemRefusal['code'], RewardError['kind']> = {
  'wrong-office': 'forbidden',
  digital: 'unprocessable',
  used: 'conflict',
  revoked: 'conflict',
  waiting: 'conflict',
  expired: 'gone',
};

function codeOrThrow(input: string): string {
  const parsed = parseClaimCode(input);
  if (!parsed.ok) throw new RewardError('invalid', parsed.problem, 'invalid-code');
  return parsed.code;
}

function refuse(refusal: RedeemRefusal): never {
  throw new RewardError(STATUS_OF_REFUSAL[refusal.code], refusal.detail, refusal.code);
}

/** Hands out the pack of `input` at `officeId`. Throws RewardError with a clear reason otherwise. */
export async function redeemClaimCode(
  ctx: RewardContext,
  officeId: string,
  input: string,
  staff: string,
): Promise<Reward> {
  const code = codeOrThrow(input);
  const attempt = await ctx.db.$transaction(async (tx): Promise<Attempt> => {
    const reward = await findByCode(tx, code);
    if (!reward)
      throw new RewardError(
        'not-found',
        `No reward has the claim code ${input}. Check the code on the donor's phone.`,
        'unknown-code',
      );
    const now = ctx.clock();
    const before = redeemRefusal(stateOf(reward), officeId, now);
    if (before) {
      // An expired code gives its pack back to the shelf (once), then the refusal is reported.
      if (before.code === 'expired') await expireReward(tx, reward, now);
      return { ok: false, refusal: before };
    }
    if (!(await markHandedOut(tx, reward.id, staff, now))) {
      // Someone else changed it between our read and our update (a concurrent redemption).
      const current = await findById(tx, reward.id);
      const refusal = current ? redeemRefusal(stateOf(current), officeId, now) : null;
      return {
        ok: false,
        refusal: refusal ?? { code: 'used', detail: 'This code was just used.' },
      };
    }
    const handed: Reward = {
      ...reward,
      status: 'handed-out',
      handedOutAt: now,
      handedOutBy: staff,
      updatedAt: now,
    };
    await enqueue(tx, [rewardHandedOut(handed, now)], ctx.namespace);
    // Last: the office row lock is held only for this statement and COMMIT.
    const moved = await applyMovement(tx, {
      officeId,
      kind: 'hand-out',
      availableDelta: 0,
      reservedDelta: -1,
      rewardId: reward.id,
      actor: staff,
    });
    if (!moved) throw new Error(`office ${officeId} had no reserved pack for reward ${reward.id}`);
    return { ok: true, reward: handed };
  });
  if (!attempt.ok) refuse(attempt.refusal);
  ctx.nudge();
  return attempt.reward;
}

/** The donor opens a digital pack once; returns the reward and where to download it. */
export async function claimDigitalPack(ctx: RewardContext, input: string): Promise<Reward> {
  const code = codeOrThrow(input);
  const attempt = await ctx.db.$transaction(async (tx): Promise<Attempt> => {
    const reward = await findByCode(tx, code);
    if (!reward || reward.kind !== 'digital-sticker-pack') {
      throw new RewardError(
        'not-found',
        `No digital sticker pack has the code ${input}.`,
        'unknown-code',
      );
    }
    const now = ctx.clock();
    if (!(await markHandedOut(tx, reward.id, null, now))) {
      const current = (await findById(tx, reward.id)) ?? reward;
      const refusal = redeemRefusal(stateOf(current), current.officeId ?? '', now);
      const detail =
        current.status === 'handed-out'
          ? `This digital pack was already opened on ${current.handedOutAt?.toISOString()}; each code works once.`
          : (refusal?.detail ?? `This pack cannot be opened (${current.status}).`);
      return {
        ok: false,
        refusal: { code: current.status === 'revoked' ? 'revoked' : 'used', detail },
      };
    }
    const opened = await findById(tx, reward.id);
    if (!opened) throw new Error(`reward ${reward.id} vanished`);
    await enqueue(tx, [rewardHandedOut(opened, now)], ctx.namespace);
    return { ok: true, reward: opened };
  });
  if (!attempt.ok) refuse(attempt.refusal);
  ctx.nudge();
  return attempt.reward;
}

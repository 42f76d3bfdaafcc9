// What the donor's thank-you page and phone read: the decision of a donation, and the claim
// code behind its QR (only for the donor's own device: `provesSecret` checks the donor secret).
import { findDecision } from '../db/rewards-repo';
import { formatClaimCode, RewardError } from '../domain';
import type { RewardContext } from './context';

/** The decision (and reward, if any) of a donation, or not-found while it is not decided yet. */
export async function donationReward(ctx: RewardContext, donationId: string) {
  const decision = await findDecision(ctx.db, donationId);
  if (!decision) {
    throw new RewardError(
      'not-found',
      'No reward decision for this donation yet. It usually appears a few seconds after the payment; please retry.',
    );
  }
  return decision;
}

/** The claim code for the QR, or a clear refusal when there is nothing to claim. */
export async function claimableCode(
  ctx: RewardContext,
  donationId: string,
  provesSecret: (donorSecretHash: string | null) => boolean,
): Promise<string> {
  const reward = (await donationReward(ctx, donationId)).reward;
  if (!reward)
    throw new RewardError(
      'not-found',
      'This donation did not unlock a reward, so there is no claim code.',
    );
  if (!provesSecret(reward.donorSecretHash))
    throw new RewardError(
      'forbidden',
      'The claim QR is shown only on the donor’s device: open it from the thank-you page link you got after paying.',
    );
  if (reward.kind !== 'physical-sticker-pack')
    throw new RewardError(
      'not-found',
      'This reward is a digital pack: open it with its link, there is nothing to scan.',
    );
  if (reward.status !== 'available' && reward.status !== 'waiting-list') {
    throw new RewardError(
      'gone',
      `This claim code can no longer be used (the reward is ${reward.status}).`,
    );
  }
  return formatClaimCode(reward.claimCode);
}

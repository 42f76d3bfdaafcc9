// ledger.donation-posted → exactly one reward decision, inside the inbox transaction.
import { randomUUID } from 'node:crypto';
import { enqueue } from '@bfi/messaging';
import type { EventOf } from '@bfi/events';
import type { Tx } from '../db/client';
import {
  insertDecision,
  insertReward,
  type DecisionInput,
  type NewReward,
} from '../db/rewards-repo';
import { rulesForChannel } from '../db/rules-repo';
import { ensureOffice, reservePack } from '../db/stock-repo';
import { matchRule, placeReward, type DonationFacts, type Rule, type RuleMatch } from '../domain';
import { rewardUnlocked } from '../events/reward-events';
import { claimExpiry, SYSTEM_ACTOR, type RewardContext } from './context';

export type DecideOutcome =
  'duplicate-donation' | 'no-reward' | 'available' | 'waiting-list' | 'digital-fallback';

/** The decision row of a posted donation (one per donation: the insert skips a second). */
export function decisionOf(
  event: EventOf<'ledger.donation-posted.v1'>,
  match: RuleMatch,
  now: Date,
): DecisionInput {
  const d = event.data;
  return {
    donationId: d.donationId,
    eventId: event.id,
    outcome: match.matched ? 'rewarded' : 'no-reward',
    reason: match.matched ? `rule ${match.rule.id} (${match.rule.campaign})` : match.reason,
    ruleId: match.matched ? match.rule.id : null,
    channel: d.channel,
    officeId: d.officeId,
    fund: d.fund,
    grossMinor: d.gross.minor,
    currency: d.gross.currency,
    thresholdMinor: match.matched ? match.thresholdMinor : null,
    decidedAt: now,
  };
}

/** The reward row of a matched donation: a physical pack waits for stock until reserved. */
export function newReward(
  event: EventOf<'ledger.donation-posted.v1'>,
  rule: Rule,
  physical: boolean,
  now: Date,
): NewReward {
  const d = event.data;
  return {
    id: randomUUID(),
    donationId: d.donationId,
    kind: rule.kind,
    status: physical ? 'waiting-list' : 'available',
    officeId: d.officeId,
    claimExpiresAt: null,
    fallback: false,
    donorSecretHash: d.donorSecretHash ?? null,
    createdAt: now,
  };
}

/** What the rules read of a posted donation. */
export function factsOf(event: EventOf<'ledger.donation-posted.v1'>): DonationFacts {
  const d = event.data;
  return {
    channel: d.channel,
    officeId: d.officeId,
    fund: d.fund,
    gross: d.gross,
    installment: d.recurrence?.installment ?? null,
    postedAt: new Date(event.time),
  };
}

export async function decideReward(
  ctx: RewardContext,
  tx: Tx,
  event: EventOf<'ledger.donation-posted.v1'>,
): Promise<DecideOutcome> {
  const d = event.data;
  const facts = factsOf(event);
  const match = matchRule(await rulesForChannel(tx, d.channel, facts.postedAt), facts);
  const now = ctx.clock();
  const first = await insertDecision(tx, decisionOf(event, match, now));
  // The same donation posted twice under two event ids (a ledger re-publish): still one reward.
  if (!first) return 'duplicate-donation';
  if (!match.matched) return 'no-reward';

  const { rule } = match;
  const physical = rule.kind === 'physical-sticker-pack' && d.officeId !== null;
  // The reward goes in first (no lock), then the reservation takes the office's row lock as
  // late as possible: only the reservation statement, the outbox insert and COMMIT hold it.
  const inserted = await insertReward(tx, newReward(event, rule, physical, now));
  let reserved = false;
  const expiresAt = claimExpiry(ctx, now);
  if (physical && d.officeId !== null) {
    await ensureOffice(tx, d.officeId);
    reserved = await reservePack(tx, d.officeId, inserted.id, expiresAt, null, SYSTEM_ACTOR);
  }
  const placement = placeReward(rule.kind, rule.outOfStock, reserved);
  if (placement.fallback) {
    await tx.reward.update({
      where: { id: inserted.id },
      data: { kind: placement.kind, status: placement.status, fallback: true },
    });
  }
  const reward = {
    ...inserted,
    kind: placement.kind,
    status: placement.status,
    fallback: placement.fallback,
    claimExpiresAt: placement.reserved ? expiresAt : null,
  };
  await enqueue(tx, [rewardUnlocked(reward, now)], ctx.namespace);
  if (placement.fallback) return 'digital-fallback';
  return placement.status;
}

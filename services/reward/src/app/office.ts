// What office staff read: the counter screen, a claim code before hand-out, pending hand-outs,
// history and stock. Each read is scoped to the office the caller acts for (http/ checks that).
import {
  findByCode,
  findDecision,
  handOutHistory,
  officeRewards,
  stateOf,
  type Reward,
} from '../db/rewards-repo';
import {
  countersOf,
  ledgerTotals,
  movementsOf,
  officeSnapshot,
  type OfficeSnapshot,
} from '../db/stock-repo';
import { parseClaimCode, redeemRefusal, RewardError } from '../domain';
import type { RewardContext } from './context';
import { expireOverdue } from './expire';
import { KIND_OF_REFUSAL } from './redeem';

export type { OfficeSnapshot, Reward };

export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

export function lowStockOf(ctx: RewardContext, available: number) {
  const threshold = ctx.settings.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
  return { lowStock: available <= threshold, lowStockThreshold: threshold };
}

/** The decision of a donation made at `officeId` (the counter screen), or not-found. */
export async function counterDecision(ctx: RewardContext, officeId: string, donationId: string) {
  const decision = await findDecision(ctx.db, donationId);
  if (!decision || decision.officeId !== officeId)
    throw new RewardError(
      'not-found',
      'No reward decision for this donation of your office yet; it follows the payment within seconds.',
    );
  return decision;
}

/** What a scanned or typed code stands for, refused exactly as a redemption would be; changes nothing. */
export async function inspectClaimCode(
  ctx: RewardContext,
  officeId: string,
  input: string,
): Promise<Reward> {
  const parsed = parseClaimCode(input);
  if (!parsed.ok) throw new RewardError('invalid', parsed.problem, 'invalid-code');
  const reward = await findByCode(ctx.db, parsed.code);
  if (!reward)
    throw new RewardError(
      'not-found',
      `No reward has the claim code ${input}. Check the code on the donor's phone.`,
      'unknown-code',
    );
  const refusal = redeemRefusal(stateOf(reward), officeId, ctx.clock());
  if (refusal) throw new RewardError(KIND_OF_REFUSAL[refusal.code], refusal.detail, refusal.code);
  return reward;
}

/** Packs ready to hand out and donors waiting for stock, oldest first. */
export async function pendingHandouts(ctx: RewardContext, officeId: string, limit: number) {
  // Overdue codes leave the list (and give their packs back) before staff see it.
  await expireOverdue(ctx, officeId);
  const [available, waiting] = await Promise.all([
    officeRewards(ctx.db, officeId, ['available'], limit),
    officeRewards(ctx.db, officeId, ['waiting-list'], limit),
  ]);
  return { available, waiting };
}

export function handouts(ctx: RewardContext, officeId: string, limit: number) {
  return handOutHistory(ctx.db, officeId, limit);
}

/** Counters, the ledger sums they must equal, and the latest movements. */
export async function officeStock(ctx: RewardContext, officeId: string) {
  const [stock, ledger, recent] = await Promise.all([
    countersOf(ctx.db, officeId),
    ledgerTotals(ctx.db, officeId),
    movementsOf(ctx.db, officeId, 20),
  ]);
  return { stock, ledger, recent };
}

export function stockMovements(
  ctx: RewardContext,
  officeId: string,
  limit: number,
  before?: bigint,
) {
  return movementsOf(ctx.db, officeId, limit, before);
}

/** What an office's live stream sends, with the low-stock flag. */
export async function officeLiveState(ctx: RewardContext, officeId: string) {
  const snap: OfficeSnapshot = await officeSnapshot(ctx.db, officeId);
  return { officeId, ...snap, ...lowStockOf(ctx, snap.available) };
}

// Staff stock operations. Each is one transaction: counters, ledger line, and (for deliveries)
// the waiting list served oldest first with reward.unlocked published for each served donor.
import { enqueue } from '@bfi/messaging';
import type { AnyEvent } from '@bfi/events';
import type { Tx } from '../db/client';
import { findById, lockWaiting } from '../db/rewards-repo';
import {
  applyMovement,
  countersOf,
  lockCounters,
  moveStock,
  reservePack,
  type StockCounters,
} from '../db/stock-repo';
import { RewardError } from '../domain';
import { rewardUnlocked } from '../events/reward-events';
import { claimExpiry, SYSTEM_ACTOR, type RewardContext } from './context';

export interface DeliveryResult {
  stock: StockCounters;
  /** Rewards that were waiting for stock and now hold a pack. */
  servedFromWaitingList: string[];
}

export async function receiveDelivery(
  ctx: RewardContext,
  officeId: string,
  quantity: number,
  actor: string,
  note: string | null,
): Promise<DeliveryResult> {
  const served = await ctx.db.$transaction(async (tx) => {
    await moveStock(tx, {
      officeId,
      kind: 'delivery',
      availableDelta: quantity,
      reservedDelta: 0,
      reason: note,
      actor,
    });
    return serveWaitingList(ctx, tx, officeId, quantity);
  });
  if (served.length > 0) ctx.nudge();
  return { stock: await countersOf(ctx.db, officeId), servedFromWaitingList: served };
}

/** Gives packs to waiting donors, oldest first, as long as the shelf has some. */
async function serveWaitingList(
  ctx: RewardContext,
  tx: Tx,
  officeId: string,
  max: number,
): Promise<string[]> {
  const now = ctx.clock();
  const served: string[] = [];
  const events: AnyEvent[] = [];
  for (const id of await lockWaiting(tx, officeId, max)) {
    if (
      !(await reservePack(
        tx,
        officeId,
        id,
        claimExpiry(ctx, now),
        'served from the waiting list',
        SYSTEM_ACTOR,
      ))
    )
      break;
    const reward = await findById(tx, id);
    if (!reward) throw new Error(`waiting reward ${id} vanished`);
    events.push(rewardUnlocked(reward, now));
    served.push(id);
  }
  await enqueue(tx, events, ctx.namespace);
  return served;
}

/** Adds or removes packs with a reason (damaged, lost, found…). Never below zero. */
export async function adjustStock(
  ctx: RewardContext,
  officeId: string,
  delta: number,
  reason: string,
  actor: string,
) {
  const result = await ctx.db.$transaction(async (tx) => {
    const ok = await moveStock(tx, {
      officeId,
      kind: 'adjustment',
      availableDelta: delta,
      reservedDelta: 0,
      reason,
      actor,
    });
    if (!ok) {
      // Thrown inside the transaction: a refused adjustment leaves nothing behind (not even
      // the stock row of an office that had none).
      const stock = await countersOf(tx, officeId);
      throw new RewardError(
        'conflict',
        `Cannot remove ${-delta} packs: only ${stock.available} are free on the shelf (${stock.reserved} more are reserved for donors).`,
        'insufficient-stock',
      );
    }
    const served = delta > 0 ? await serveWaitingList(ctx, tx, officeId, delta) : [];
    return { served };
  });
  if (result.served.length > 0) ctx.nudge();
  return { stock: await countersOf(ctx.db, officeId), servedFromWaitingList: result.served };
}

/**
 * Staff counted the packs physically present (free + reserved ones). The difference to the
 * books becomes a 'count' movement, so every count is on record even when it matches.
 */
export async function countStock(
  ctx: RewardContext,
  officeId: string,
  counted: number,
  actor: string,
  note: string | null,
) {
  const result = await ctx.db.$transaction(async (tx) => {
    const before = await lockCounters(tx, officeId);
    if (counted < before.reserved) return { ok: false as const, before };
    const delta = counted - (before.available + before.reserved);
    const reason = `physical count: ${counted} packs (books said ${before.available + before.reserved})${note ? `; ${note}` : ''}`;
    // The row is locked (lockCounters), so the guard cannot fail here.
    if (
      !(await applyMovement(tx, {
        officeId,
        kind: 'count',
        availableDelta: delta,
        reservedDelta: 0,
        reason,
        actor,
      }))
    ) {
      throw new Error(`count of office ${officeId} refused by the stock guard`);
    }
    const served = delta > 0 ? await serveWaitingList(ctx, tx, officeId, delta) : [];
    return { ok: true as const, before, delta, served };
  });
  if (!result.ok) {
    throw new RewardError(
      'unprocessable',
      `You counted ${counted} packs but ${result.before.reserved} are reserved for donors who have not collected them yet. ` +
        'Count again including the reserved packs, or record the missing ones as an adjustment with a reason.',
      'count-below-reserved',
    );
  }
  if (result.served.length > 0) ctx.nudge();
  return {
    stock: await countersOf(ctx.db, officeId),
    difference: result.delta,
    servedFromWaitingList: result.served,
  };
}

// Admin's stock overview of every office, and finance's list of rewards revoked after hand-out.
import { moneyFromColumn } from '@bfi/money';
import { flaggedRewards as flaggedRows } from '../db/rewards-repo';
import { stockOverview } from '../db/stock-repo';
import type { RewardContext } from './context';
import { lowStockOf } from './office';

export async function stockOfEveryOffice(ctx: RewardContext) {
  const offices = (await stockOverview(ctx.db)).map((o) => ({
    ...o,
    ...lowStockOf(ctx, o.available),
  }));
  const totals = offices.reduce(
    (t, o) => ({
      available: t.available + o.available,
      reserved: t.reserved + o.reserved,
      waitingList: t.waitingList + o.waitingList,
    }),
    { available: 0, reserved: 0, waitingList: 0 },
  );
  return { offices, totals };
}

/** Rewards revoked after they were claimed, with the donation's gross and reversed money. */
export async function flaggedRewards(ctx: RewardContext, limit: number) {
  return (await flaggedRows(ctx.db, limit)).map((r) => ({
    reward: r,
    gross: moneyFromColumn(r.decision.grossMinor, r.decision.currency),
    reversed: moneyFromColumn(r.decision.reversedMinor, r.decision.currency),
  }));
}

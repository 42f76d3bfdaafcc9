// Demo data for the embedded start (never run by migrations): the campaign's rules and a
// little stock in two offices. Idempotent: a second call changes nothing.
import type { Db } from './client';
import { createRule } from './rules-repo';
import { moveStock } from './stock-repo';

export const DEMO_OFFICES = ['minsk-nezavisimosti-10', 'gomel-sovetskaya-21'] as const;
const CAMPAIGN = '#BullyingFreeInternet';

export async function seedDemo(
  db: Db,
  options: { stockPerOffice?: number; now?: Date } = {},
): Promise<{ created: boolean }> {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    if ((await tx.rewardRule.count()) > 0) return { created: false };
    const from = new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
    await createRule(tx, {
      campaign: CAMPAIGN,
      channel: 'office',
      fund: null,
      kind: 'physical-sticker-pack',
      outOfStock: 'wait-for-stock',
      priority: 10,
      activeFrom: from,
      activeUntil: null,
      minimums: { BYN: 1000, USD: 500, EUR: 500 },
    });
    for (const channel of ['online', 'office'] as const) {
      await createRule(tx, {
        campaign: CAMPAIGN,
        channel,
        fund: null,
        kind: 'digital-sticker-pack',
        outOfStock: 'wait-for-stock',
        priority: 0,
        activeFrom: from,
        activeUntil: null,
        minimums: { BYN: 500, USD: 200, EUR: 200 },
      });
    }
    for (const officeId of DEMO_OFFICES) {
      await moveStock(tx, {
        officeId,
        kind: 'delivery',
        availableDelta: options.stockPerOffice ?? 25,
        reservedDelta: 0,
        reason: 'demo: first delivery',
        actor: 'seed',
      });
    }
    return { created: true };
  });
}

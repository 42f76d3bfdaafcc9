// The applier's batch: provider lookups for every stored Stripe delivery first (a few at a time,
// outside any transaction), then one set-based transaction for all of them (apply-batch.ts).
// What the batch does not cover — PayPal, subscriptions, unreadable bodies, a lookup that failed,
// anything unusual the batch hands back — is returned, oldest first, for the per-delivery path.
import type { StoredDelivery } from '../db/webhook-inbox';
import { applyBatch, type BatchItem } from './apply-batch';
import type { AppDeps } from './deps';
import { mapStripeDelivery } from './stripe-webhook';

/** Provider calls in flight at once for one batch (the SDK's own retries come on top). */
const LOOKUPS = 8;

export async function applyStoredBatch(
  deps: AppDeps,
  rows: StoredDelivery[],
): Promise<StoredDelivery[]> {
  const mapped = await mapBounded(rows, LOOKUPS, (row) => mapRow(deps, row));
  const items: BatchItem[] = [];
  rows.forEach((row, i) => {
    const input = mapped[i];
    if (input)
      items.push({
        id: row.id,
        input: {
          ...input,
          provider: 'stripe',
          delivery: { provider: row.provider, eventId: row.eventId, type: row.type },
        },
      });
  });
  const rest = new Set((await applyBatch(deps, 'stripe', items)).map((i) => i.id));
  return rows.filter((row, i) => !mapped[i] || rest.has(row.id));
}

/** The mapped input, or null: the per-delivery path applies it (and handles its failure). */
async function mapRow(deps: AppDeps, row: StoredDelivery) {
  if (row.provider !== 'stripe') return null;
  try {
    const input = await mapStripeDelivery(deps, JSON.parse(row.rawBody));
    return input && input.commands.length > 0 ? input : null;
  } catch {
    return null;
  }
}

async function mapBounded<T, R>(all: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      out[i] = await fn(all[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, all.length) }, worker));
  return out;
}

import type { Db } from '../db/client';

export interface RewardSettings {
  /** How long a reserved physical pack waits for its donor before going back to the shelf. */
  claimCodeTtlDays: number;
  /** Public base URL of this service, for links the donor opens (QR images, digital pack). */
  publicBaseUrl: string;
  /** Where a claimed digital sticker pack is downloaded (e.g. the sticker set link). */
  digitalPackUrl: string;
  /** At or below this many free packs an office's stock is shown as low (default 5). */
  lowStockThreshold?: number;
  /** How often an office's live stream reads its stock and rewards (default 1000 ms). */
  streamPollMs?: number;
}

/** What every use case needs; built once by the service factory. */
export interface RewardContext {
  db: Db;
  /** Topic prefix for isolated runs ('' in production). */
  namespace: string;
  clock: () => Date;
  settings: RewardSettings;
  /** Wakes the outbox relay after a commit that enqueued events. */
  nudge: () => void;
}

export function claimExpiry(ctx: RewardContext, from: Date): Date {
  return new Date(from.getTime() + ctx.settings.claimCodeTtlDays * 24 * 60 * 60 * 1000);
}

/** The staff member or system that made a stock movement, as written in the ledger. */
export const SYSTEM_ACTOR = 'reward-service';

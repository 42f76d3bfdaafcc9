import type { Logger } from '@bfi/messaging';
import type { Db } from '../../db/client';
import { campaignTotals, chainVersion, type CampaignTotals } from '../db/totals-repo';

type Listener = (totals: CampaignTotals) => void;

/**
 * Live campaign totals for the SSE stream. One poller per process (not per client) watches
 * the chain head and, when the ledger moved, reads the totals once and fans them out. Polling
 * the database rather than listening to our own consumer keeps every replica's stream right,
 * whichever replica posted. The poller runs only while someone listens.
 */
export class CampaignFeed {
  private readonly listeners = new Set<Listener>();
  private timer?: NodeJS.Timeout;
  private lastVersion = -1;
  private ticking = false;

  constructor(
    private readonly db: Db,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  /** Sends the current totals at once, then on every change; returns the unsubscribe function. */
  async subscribe(listener: Listener): Promise<() => void> {
    const current = await campaignTotals(this.db);
    if (this.timer === undefined) this.lastVersion = current.version;
    listener(current);
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.tick(), this.pollMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lastVersion = -1;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const version = await chainVersion(this.db);
      if (version === this.lastVersion) return;
      const totals = await campaignTotals(this.db);
      this.lastVersion = totals.version;
      for (const listener of this.listeners) listener(totals);
    } catch (err) {
      this.logger.warn({ err }, 'campaign totals poll failed');
    } finally {
      this.ticking = false;
    }
  }
}

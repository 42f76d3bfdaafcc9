import { Ticker, type Logger } from '@bfi/messaging';
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
  private readonly ticker: Ticker;
  private lastVersion = -1;

  constructor(
    private readonly db: Db,
    pollMs: number,
    logger: Logger,
  ) {
    this.ticker = new Ticker(() => this.poll(), {
      name: 'campaign totals poll',
      everyMs: pollMs,
      logger,
    });
  }

  /** Sends the current totals at once, then on every change; returns the unsubscribe function. */
  async subscribe(listener: Listener): Promise<() => void> {
    const current = await campaignTotals(this.db);
    if (!this.ticker.running) this.lastVersion = current.version;
    listener(current);
    this.listeners.add(listener);
    this.ticker.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  async stop(): Promise<void> {
    this.lastVersion = -1;
    await this.ticker.stop();
  }

  private async poll(): Promise<void> {
    const version = await chainVersion(this.db);
    if (version === this.lastVersion) return;
    const totals = await campaignTotals(this.db);
    this.lastVersion = totals.version;
    for (const listener of this.listeners) listener(totals);
  }
}

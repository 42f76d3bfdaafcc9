import { Ticker } from '@bfi/messaging';
import type { Logger } from 'pino';
import { donationsChangedSince, type Db } from '../db/repository';
import type { StatusNotifier } from './notifier';
import { toView } from './view';

export interface ChangeFeedOptions {
  /** How often the database is asked for changes while streams are open. */
  pollMs?: number;
  /**
   * How far behind the newest change seen each read starts again. Covers transactions that
   * commit after a later-stamped one, and clock skew between replicas (updatedAt is stamped by
   * the replica that wrote it).
   */
  overlapMs?: number;
}

/**
 * Brings status changes committed by ANY replica to this replica's SSE streams. A Stripe webhook
 * lands on one payment replica while the office console's stream may be held by another; the
 * database is the one place both see. While anyone listens, the donations changed since
 * (newest change seen − overlap) are read every pollMs and handed to the notifier, which sends
 * only what it has not sent yet. Costs one indexed query per second per replica, none when no
 * stream is open.
 */
export class DonationChangeFeed {
  private newest = new Date();
  private readonly overlapMs: number;
  private readonly ticker: Ticker;

  constructor(
    private readonly deps: { db: Db; notifier: StatusNotifier; logger: Logger },
    options: ChangeFeedOptions = {},
  ) {
    this.overlapMs = options.overlapMs ?? 5000;
    this.ticker = new Ticker(() => this.tick(), {
      name: 'donation change feed',
      everyMs: options.pollMs ?? 1000,
      logger: deps.logger,
    });
  }

  start(): void {
    this.newest = new Date();
    this.ticker.start();
  }

  stop(): Promise<void> {
    return this.ticker.stop();
  }

  private async tick(): Promise<void> {
    if (!this.deps.notifier.hasListeners()) {
      // Nobody listens: no history to catch up on when the first stream opens.
      this.newest = new Date();
      return;
    }
    await this.read();
  }

  private async read(): Promise<void> {
    const since = new Date(this.newest.getTime() - this.overlapMs);
    try {
      for await (const row of donationsChangedSince(this.deps.db, since)) {
        this.deps.notifier.publish(toView(row));
        if (row.updatedAt > this.newest) this.newest = row.updatedAt;
      }
      this.deps.notifier.forget(new Date(since.getTime() - this.overlapMs));
    } catch (err) {
      // The database is away (restart, failover): streams stay open, the next tick tries again.
      this.deps.logger.warn({ err }, 'donation change feed: read failed; retrying');
    }
  }
}

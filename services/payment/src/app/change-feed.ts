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
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private newest = new Date();
  private readonly pollMs: number;
  private readonly overlapMs: number;

  constructor(
    private readonly deps: { db: Db; notifier: StatusNotifier; logger: Logger },
    options: ChangeFeedOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.overlapMs = options.overlapMs ?? 5000;
  }

  start(): void {
    this.newest = new Date();
    this.timer ??= setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.reading;
  }

  private async tick(): Promise<void> {
    if (this.reading) return;
    if (!this.deps.notifier.hasListeners()) {
      // Nobody listens: no history to catch up on when the first stream opens.
      this.newest = new Date();
      return;
    }
    this.reading = this.read().finally(() => (this.reading = undefined));
    await this.reading;
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

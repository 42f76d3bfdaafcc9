// Store, answer, apply. A verified webhook delivery is stored in the inbox (webhook_delivery, one
// INSERT) before anything else happens, and applied from there: by the request itself when one of
// the few inline slots is free (so the provider still reads what happened), else by this applier's
// loop. A try that fails in any way (provider unreachable, database error, an event that overtook
// its payment) leaves the row for a later try with backoff; after the retry window it is given
// up, logged at error and counted. So the webhook never answers 5xx once the delivery is stored,
// and never calls a provider before it is stored.
import { backoffDelay, Ticker, type TickResult } from '@bfi/messaging';
import type { Logger } from 'pino';
import { Counter, Gauge, register } from 'prom-client';
import { PaymentError } from '../domain/errors';
import type { Db } from '../db/repository';
import {
  claimDueDeliveries,
  giveUpDelivery,
  pendingDeliveries,
  scheduleRetry,
  storeDelivery,
  wakeWaitingDeliveries,
  type StoredDelivery,
} from '../db/webhook-inbox';
import { ProviderError } from '../providers/types';
import { RetryLater } from './apply';
import { DUPLICATE_DELIVERY, notStored, queuedAnswer, type WebhookAnswer } from './webhook-answer';

/** Whoever applies a row holds it this long: longer than a fee lookup with the SDK's retries. */
const LEASE_MS = 90_000;
/**
 * Rows one tick claims: applied set-based in one transaction when `applyBatch` is given (the rest
 * one by one), else concurrently; small enough that a tick ends soon on shutdown.
 */
const BATCH = 32;
const BATCH_ONE_BY_ONE = 8;
const BACKOFF = { initialMs: 1000, maxMs: 15 * 60_000 };

const pendingGauge =
  (register.getSingleMetric('webhook_deliveries_pending') as Gauge<'state'>) ??
  new Gauge({
    name: 'webhook_deliveries_pending',
    help: 'Stored webhook deliveries not applied yet (waiting: their next try is later), as of the last applier round',
    labelNames: ['state'],
  });
const attemptsTotal =
  (register.getSingleMetric('webhook_apply_attempts_total') as Counter<'path' | 'result'>) ??
  new Counter({
    name: 'webhook_apply_attempts_total',
    help: 'Tries to apply a stored webhook delivery, by path (inline in the request, batch, applier) and result (done, retry, gave-up)',
    labelNames: ['path', 'result'],
  });
const gaveUpTotal =
  (register.getSingleMetric('webhook_deliveries_gave_up_total') as Counter<'provider'>) ??
  new Counter({
    name: 'webhook_deliveries_gave_up_total',
    help: 'Webhook deliveries never applied within the retry window (left for a person)',
    labelNames: ['provider'],
  });

export interface WebhookApplierOptions {
  db: Db;
  logger: Logger;
  /** Requests that may apply their delivery at once, together (WEBHOOK_INLINE_SLOTS). */
  inlineSlots: number;
  /** How long a delivery is tried before it is given up (WEBHOOK_RETRY_WINDOW_SECONDS). */
  retryWindowMs: number;
  /** Pause of the loop when nothing is due. */
  pollMs?: number;
  /** Applies one stored delivery (parse with the provider's readers, map, applyToDonation). */
  apply: (row: StoredDelivery) => Promise<WebhookAnswer>;
  /**
   * Applies what it can of a claimed batch in one transaction (provider lookups first) and
   * returns the rows left for `apply`, oldest first. Throws when the batch did not commit.
   */
  applyBatch?: (rows: StoredDelivery[]) => Promise<StoredDelivery[]>;
}

export interface IncomingDelivery {
  provider: 'stripe' | 'paypal';
  eventId: string;
  type: string;
  rawBody: string;
}

export class WebhookApplier {
  private readonly ticker: Ticker;
  private readonly logger: Logger;
  private busy = 0;
  /**
   * Some stored delivery may wait for a later try, so a payment's arrival should wake it: set
   * when a try here is put off, and by each idle round's count (rows other replicas put off).
   */
  private waiting = false;

  constructor(private readonly options: WebhookApplierOptions) {
    this.logger = options.logger.child({ component: 'webhook-applier' });
    this.ticker = new Ticker(() => this.tick(), {
      name: 'webhook applier',
      everyMs: options.pollMs ?? 1000,
      // Rows left by a process that died after answering are picked up at once.
      runAtStart: true,
      logger: this.logger,
    });
  }

  start(): void {
    this.ticker.start();
  }

  /** Waits for the round in flight (its transactions end), then stops taking rows. */
  stop(): Promise<void> {
    return this.ticker.stop();
  }

  nudge(): void {
    this.ticker.nudge();
  }

  /** A payment (or dispute) was applied: deliveries that overtook it are due now. */
  dependencyArrived(): void {
    if (!this.waiting || !this.ticker.running) return;
    wakeWaitingDeliveries(this.options.db).then(
      (woken) => {
        if (woken > 0) this.ticker.nudge();
        // Nothing waited (any more): successes stop paying for this statement.
        else this.waiting = false;
      },
      (err: unknown) => this.logger.warn({ err }, 'could not wake waiting webhook deliveries'),
    );
  }

  /**
   * Stores a verified delivery and applies it at once when an inline slot is free. Throws only
   * before anything is stored (PaymentError 'unavailable': the provider sends it again).
   */
  async receive(d: IncomingDelivery): Promise<WebhookAnswer> {
    const inline = this.ticker.running && this.busy < this.options.inlineSlots;
    if (inline) this.busy++;
    try {
      const id = await this.store(d, inline);
      if (id === null) return DUPLICATE_DELIVERY;
      if (!inline) {
        this.ticker.nudge();
        return queuedAnswer();
      }
      const row: StoredDelivery = { id, ...d, attempts: 0, receivedAt: new Date() };
      return await this.attempt(row, 'inline');
    } finally {
      if (inline) this.busy--;
    }
  }

  private async store(d: IncomingDelivery, inline: boolean): Promise<string | null> {
    try {
      return await storeDelivery(this.options.db, d, inline ? LEASE_MS : null);
    } catch (err) {
      throw notStored(this.logger, d, err);
    }
  }

  /** One try: the outcome, or — whatever went wrong — queued for the next try. */
  private async attempt(row: StoredDelivery, path: 'inline' | 'applier'): Promise<WebhookAnswer> {
    try {
      const answer = await this.options.apply(row);
      attemptsTotal.inc({ path, result: 'done' });
      return answer;
    } catch (err) {
      const reason = reasonOf(err);
      const gaveUp = await this.failed(row, reason, err);
      attemptsTotal.inc({ path, result: gaveUp ? 'gave-up' : 'retry' });
      return queuedAnswer(reason);
    }
  }

  /** Schedules the next try, or gives up after the window; true when given up. */
  private async failed(row: StoredDelivery, reason: string, err: unknown): Promise<boolean> {
    const { db, retryWindowMs } = this.options;
    const log = { provider: row.provider, eventId: row.eventId, type: row.type };
    const gaveUp = Date.now() - row.receivedAt.getTime() >= retryWindowMs;
    try {
      if (gaveUp) {
        await giveUpDelivery(db, row.id, reason);
        gaveUpTotal.inc({ provider: row.provider });
        this.logger.error(
          { ...log, attempts: row.attempts + 1, reason },
          'webhook delivery given up: never applied within the retry window',
        );
        return true;
      }
      const delayMs = backoffDelay(row.attempts, BACKOFF);
      await scheduleRetry(db, row.id, delayMs, reason);
      this.waiting = true;
      const level = err instanceof RetryLater ? 'info' : 'warn';
      this.logger[level](
        { ...log, attempts: row.attempts + 1, reason, retryInMs: delayMs },
        'webhook delivery not applied yet; will retry',
      );
    } catch (markErr) {
      // The database is away: the claim runs out and the applier takes the row again.
      this.logger.warn({ ...log, err: markErr, reason }, 'webhook retry could not be scheduled');
    }
    return false;
  }

  /** The set-based try; when it did not commit (any error), every row goes one by one. */
  private async batch(rows: StoredDelivery[]): Promise<StoredDelivery[]> {
    if (rows.length === 0) return rows;
    try {
      const rest = await this.options.applyBatch!(rows);
      const done = rows.length - rest.length;
      if (done > 0) attemptsTotal.inc({ path: 'batch', result: 'done' }, done);
      return rest;
    } catch (err) {
      this.logger.warn({ err, rows: rows.length }, 'webhook batch not applied; one by one');
      return rows;
    }
  }

  private async tick(): Promise<TickResult> {
    const size = this.options.applyBatch ? BATCH : BATCH_ONE_BY_ONE;
    const rows = await claimDueDeliveries(this.options.db, size, LEASE_MS);
    if (this.options.applyBatch) {
      // One by one after the batch's commit, in arrival order: a donation's later deliveries
      // follow its earlier ones.
      for (const row of await this.batch(rows)) await this.attempt(row, 'applier');
    } else await Promise.all(rows.map((row) => this.attempt(row, 'applier')));
    if (rows.length === size) return 'again';
    const { pending, waiting } = await pendingDeliveries(this.options.db);
    pendingGauge.set({ state: 'due' }, pending - waiting);
    pendingGauge.set({ state: 'waiting' }, waiting);
    // Another replica may have queued rows: the count tells this one to wake them too.
    this.waiting = waiting > 0;
  }
}

/** Why a try failed, for the row, the log and the queued answer (no secrets in it). */
function reasonOf(err: unknown): string {
  if (err instanceof RetryLater) return `waiting: ${err.message}`;
  if (err instanceof ProviderError)
    return `provider unreachable: ${err.status ?? 'no answer'} ${err.message}`;
  if (err instanceof PaymentError) return `${err.kind}: ${err.detail}`;
  return `error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
}

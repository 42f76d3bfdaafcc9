import { serializeEvent, topicOf, type AnyEvent } from '@bfi/events';
import { backoffDelay, sleep } from './backoff';
import type { Logger } from 'pino';
import { relayedTotal } from './metrics';
import type { SqlDb, SqlTx } from './sql';
import { endSpans, headersOf, publishSpans, untraced, withTraceContext } from './tracing';
import { Ticker, type TickResult } from './ticker';
import type { Publisher } from './transport';

/**
 * Writes events to the outbox inside the caller's transaction: the event exists if and
 * only if the state change committed. The relay publishes it later. `namespace` prefixes
 * topic names (isolated test runs, several environments on one cluster).
 */
export async function enqueue(tx: SqlTx, events: AnyEvent[], namespace = ''): Promise<void> {
  if (events.length === 0) return;
  // One statement for all (a round trip costs more than the insert); rows take their seq in the
  // order given, which is the order the relay sends them in.
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_event (id, topic, key, type, payload)
     SELECT (e->>'id')::uuid, e->>'topic', e->>'key', e->>'type', e->>'payload'
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, ord)
     ORDER BY ord`,
    JSON.stringify(
      traceStamped(events, namespace).map((event) => ({
        id: event.id,
        topic: namespace + topicOf(event.type),
        key: event.subject,
        type: event.type,
        payload: serializeEvent(event),
      })),
    ),
  );
}

/**
 * The events with the current trace context written in (tracing on), as enqueue writes them;
 * an event that already has one keeps it. For events built under different contexts (a chunk's
 * events, each in its own `process` span) and enqueued later in one statement.
 */
export function traceStamped(events: AnyEvent[], namespace = ''): AnyEvent[] {
  return events.map((event) => withTraceContext(event, namespace + topicOf(event.type)));
}

export interface OutboxRelayOptions {
  name: string;
  db: SqlDb;
  publisher: Publisher;
  logger: Logger;
  batchSize?: number;
  pollMs?: number;
  /** Fault-injection point for tests: runs after the broker acknowledged, before rows are marked sent. */
  faults?: { afterSend?: () => void | Promise<void> };
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: string;
}

/**
 * Sends unsent outbox rows in insertion order and marks them sent. One relay per database
 * works at a time (transaction-scoped advisory lock), so per-key order holds even with
 * several replicas. A crash between send and mark re-sends the batch on restart; consumers
 * dedupe by event id, so the effect stays exactly once.
 */
export class OutboxRelay {
  private readonly lockKey: number;
  private readonly ticker: Ticker;
  private failures = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.lockKey = lockKeyFor(`outbox:${options.name}`);
    this.ticker = new Ticker(() => this.relayOnce(), {
      name: `outbox:${options.name}`,
      everyMs: options.pollMs ?? 250,
      runAtStart: true,
      logger: options.logger,
    });
  }

  start(): void {
    this.ticker.start();
  }

  /** Call after a commit that enqueued events, to publish without waiting for the next poll. */
  nudge(): void {
    this.ticker.nudge();
  }

  /** Relays until nothing is pending; returns how many rows were sent. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.relayBatch();
      if (sent === 0) return total;
      if (sent === BUSY) await sleep(50);
      else total += sent;
    }
  }

  /** Stops polling, then flushes what is left (best effort: unsent rows stay for the next start). */
  async stop(): Promise<void> {
    await this.ticker.stop();
    await this.flush().catch((err: unknown) =>
      this.options.logger.warn({ err }, 'outbox flush on shutdown failed; rows stay pending'),
    );
  }

  async pending(): Promise<number> {
    const rows = await this.options.db.$queryRawUnsafe<{ n: bigint }[]>(
      'SELECT count(*) AS n FROM outbox_event WHERE sent_at IS NULL',
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** One tick: a full batch means more may be waiting, so drain without pausing. */
  private async relayOnce(): Promise<TickResult> {
    try {
      const sent = await this.relayBatch();
      this.failures = 0;
      return sent === (this.options.batchSize ?? 500) ? 'again' : undefined;
    } catch (err) {
      this.failures += 1;
      this.options.logger.warn({ err, failures: this.failures }, 'outbox relay failed; retrying');
      // Backs off a failing broker or database, then retries at once (not after a whole poll).
      await sleep(backoffDelay(this.failures, { initialMs: 200, maxMs: 10000 }));
      return 'again';
    }
  }

  /** Untraced: polling every pollMs must not make traces; each row's publish span is its own. */
  private relayBatch(): Promise<number> {
    return untraced(() => this.relayBatchInTx());
  }

  private relayBatchInTx(): Promise<number> {
    const { db, publisher, faults } = this.options;
    return db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
          'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
          this.lockKey,
        );
        if (!lock?.locked) return BUSY;
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          'SELECT id::text AS id, topic, key, payload FROM outbox_event WHERE sent_at IS NULL ORDER BY seq LIMIT $1',
          this.options.batchSize ?? 500,
        );
        if (rows.length === 0) return 0;
        const spans = publishSpans(rows);
        await publisher
          .send(
            rows.map((r, i) => ({
              topic: r.topic,
              key: r.key,
              value: r.payload,
              headers: { 'ce-id': r.id, ...headersOf(spans[i]) },
            })),
          )
          .then(
            () => endSpans(spans),
            (err: unknown) => {
              endSpans(spans, err);
              throw err;
            },
          );
        await faults?.afterSend?.();
        await tx.$executeRawUnsafe(
          'UPDATE outbox_event SET sent_at = now() WHERE id = ANY($1::uuid[])',
          rows.map((r) => r.id),
        );
        relayedTotal.inc({ relay: this.options.name }, rows.length);
        this.options.logger.debug({ count: rows.length }, 'outbox batch relayed');
        return rows.length;
      },
      // Sending waits for broker acks; a restarting broker can take a while.
      { maxWait: 10000, timeout: 60000 },
    );
  }
}

/** Another relay holds the lock and is sending; not the same as "nothing pending". */
const BUSY = -1;

/** A stable 32-bit advisory-lock key from a name. */
function lockKeyFor(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

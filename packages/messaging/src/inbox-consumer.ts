import {
  dlqTopic,
  EventValidationError,
  parseEvent,
  type AnyEvent,
  type EventOf,
  type EventType,
} from '@bfi/events';
import { backoffDelay, sleep } from './backoff';
import type { Logger } from 'pino';
import { consumedTotal } from './metrics';
import type { SqlDb, SqlTx } from './sql';
import { inConsumerSpan, startChunkSpans, type InEventSpan } from './tracing';
import type {
  BatchContext,
  OutgoingMessage,
  Subscription,
  Transport,
  TransportMessage,
} from './transport';

/**
 * Thrown by a handler when an event can never be applied (a business rule refuses it).
 * It goes to the DLQ at once instead of being retried.
 */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

export type EventHandler<Tx extends SqlTx, T extends EventType = EventType> = (
  event: EventOf<T>,
  tx: Tx,
) => Promise<void>;

/** One handler per event type this consumer cares about; other types are acknowledged and skipped. */
export type EventHandlers<Tx extends SqlTx> = { [T in EventType]?: EventHandler<Tx, T> };

/**
 * Applies a whole chunk at once: the events this consumer has not applied yet (their inbox rows
 * are already written in `tx`), of types it has a handler for, in arrival order.
 */
export type BatchHandler<Tx extends SqlTx> = (
  events: AnyEvent[],
  tx: Tx,
  /** Runs fn inside one event's `process` span (e.g. building the events it causes). */
  inEventSpan: InEventSpan,
) => Promise<void>;

export interface InboxConsumerOptions<Tx extends SqlTx> {
  /** Consumer group and inbox key: one name per service role, stable across deploys. */
  name: string;
  transport: Transport;
  db: SqlDb<Tx>;
  topics: string[];
  handlers: EventHandlers<Tx>;
  logger: Logger;
  retry?: { attempts: number; initialMs: number; maxMs: number };
  /**
   * Up to this many messages of one partition are applied in ONE transaction (inbox rows and
   * effects together), which is where the throughput is. If that transaction fails, the chunk
   * is replayed one message per transaction, so one poison message cannot hold back the rest.
   * Default 1: one transaction per message.
   */
  batchSize?: number;
  /**
   * Set-based form of `handlers` for a chunk of more than one message: ONE inbox statement for
   * the chunk, then one call with the new events (statements per chunk instead of per event).
   * When the chunk fails, the messages are replayed one per transaction through `handlers`,
   * which must give the same effect (retries, DLQ and PermanentEventError as without it).
   */
  batchHandler?: BatchHandler<Tx>;
  /** Called after a transaction that applied at least one event committed (e.g. nudge the outbox relay). */
  onCommitted?: () => void;
  /** Fault-injection point for tests: runs after the effect committed, before the offset is resolved. */
  faults?: { afterEffect?: (message: TransportMessage) => void | Promise<void> };
}

export type Outcome = 'processed' | 'duplicate' | 'ignored' | 'dead-lettered';

/**
 * The one way to consume: every event is validated, recorded in the inbox in the same
 * transaction as its effect (a redelivery finds its id and does nothing), retried with
 * backoff, and dead-lettered with a readable reason when it cannot be applied.
 */
export class InboxConsumer<Tx extends SqlTx> {
  private subscription?: Subscription;

  constructor(private readonly options: InboxConsumerOptions<Tx>) {}

  async start(): Promise<void> {
    const { transport, topics, name } = this.options;
    await transport.ensureTopics([...topics, ...topics.map(dlqTopic)]);
    this.subscription = await transport.subscribe(
      { groupId: name, topics, fromBeginning: true },
      (batch, ctx) => this.handleBatch(batch, ctx),
    );
    await this.subscription.ready;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private async handleBatch(batch: TransportMessage[], ctx: BatchContext): Promise<void> {
    const size = Math.max(1, this.options.batchSize ?? 1);
    for (let i = 0; i < batch.length; i += size) {
      if (!ctx.isRunning()) return;
      const chunk = batch.slice(i, i + size);
      if (chunk.length === 1 || !(await this.applyChunk(chunk, ctx))) {
        for (const message of chunk) {
          if (!ctx.isRunning()) return;
          const outcome = await this.handle(message, ctx);
          if (outcome === 'processed') await this.options.faults?.afterEffect?.(message);
          ctx.resolve(message.offset);
          await ctx.heartbeat();
        }
        continue;
      }
      for (const message of chunk) await this.options.faults?.afterEffect?.(message);
      ctx.resolve(chunk[chunk.length - 1]!.offset);
      await ctx.commit();
    }
  }

  /**
   * Applies a chunk in one transaction; false (nothing committed) when any message in it is
   * invalid or fails, so the caller replays it message by message with retries and DLQ.
   */
  private async applyChunk(chunk: TransportMessage[], ctx: BatchContext): Promise<boolean> {
    const events: AnyEvent[] = [];
    for (const message of chunk) {
      try {
        events.push(parseEvent(message.value));
      } catch {
        return false;
      }
    }
    try {
      let inSpan: InEventSpan = (_event, fn) => fn();
      const outcomes = await this.options.db.$transaction(
        async (tx) => {
          if (this.options.batchHandler) {
            const done = await this.applySetInTx(chunk, events, tx, this.options.batchHandler);
            inSpan = done.inSpan;
            await ctx.heartbeat();
            return done.outcomes;
          }
          const done: Outcome[] = [];
          for (const [i, event] of events.entries()) {
            const attributes = this.spanAttributes(chunk[i]!);
            done.push(await inConsumerSpan(event, attributes, () => this.applyInTx(event, tx)));
            await ctx.heartbeat(); // cheap unless due; keeps the group membership through long chunks
          }
          return done;
        },
        { maxWait: 10000, timeout: 60000 },
      );
      events.forEach((event, i) => {
        this.count(event, outcomes[i]!);
        // The line an operator finds by the event's id or trace, as on the per-message path.
        if (this.options.batchHandler && outcomes[i] !== 'ignored')
          inSpan(event, () => this.consumedLog(event, outcomes[i]!));
      });
      if (outcomes.includes('processed')) this.options.onCommitted?.();
      this.options.logger.info({ events: events.length }, 'event batch consumed');
      return true;
    } catch (err) {
      this.options.logger.warn(
        { err, events: events.length },
        'batch failed; replaying one by one',
      );
      return false;
    }
  }

  /** Applies one message; throws only when the database is unreachable (redelivered later). */
  async handle(message: TransportMessage, ctx?: BatchContext): Promise<Outcome> {
    let event: AnyEvent;
    try {
      event = parseEvent(message.value);
    } catch (err) {
      if (!(err instanceof EventValidationError)) throw err;
      return this.deadLetter(message, 'validation', err.message);
    }
    const handler = this.options.handlers[event.type] as EventHandler<Tx> | undefined;
    if (!handler) return this.count(event, 'ignored');
    return inConsumerSpan(event, this.spanAttributes(message), () =>
      this.applyWithRetries(event, message, ctx),
    );
  }

  private spanAttributes(message: TransportMessage) {
    return {
      'messaging.system': this.options.transport.name === 'kafka' ? 'kafka' : 'in-process',
      'messaging.consumer.group.name': this.options.name,
      'messaging.destination.name': message.topic,
      'messaging.destination.partition.id': String(message.partition),
      'messaging.kafka.offset': Number(message.offset),
    };
  }

  /** The handler with retries and backoff; dead-letters what can never apply. */
  private async applyWithRetries(
    event: AnyEvent,
    message: TransportMessage,
    ctx?: BatchContext,
  ): Promise<Outcome> {
    const log = this.eventLogger(event);
    const retry = this.options.retry ?? { attempts: 5, initialMs: 100, maxMs: 5000 };
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.applyOnce(event);
        log.info({ outcome }, 'event consumed');
        return this.count(event, outcome);
      } catch (err) {
        if (err instanceof PermanentEventError)
          return this.deadLetter(message, 'refused', err.message, event);
        log.warn({ err, attempt }, 'event handler failed');
        if (attempt + 1 >= retry.attempts) {
          // Poison message, or is the database away? Only the first goes to the DLQ.
          if (!(await this.databaseReachable())) throw err;
          return this.deadLetter(message, 'handler', errorMessage(err), event);
        }
        await sleep(backoffDelay(attempt, retry));
        await ctx?.heartbeat();
      }
    }
  }

  private async applyOnce(event: AnyEvent): Promise<Outcome> {
    const outcome = await this.options.db.$transaction((tx) => this.applyInTx(event, tx), {
      maxWait: 10000,
      timeout: 30000,
    });
    if (outcome === 'processed') this.options.onCommitted?.();
    return outcome;
  }

  /** Inbox row + effect; 'duplicate' when this consumer already applied the event id. */
  private async applyInTx(event: AnyEvent, tx: Tx): Promise<Outcome> {
    const handler = this.options.handlers[event.type] as EventHandler<Tx> | undefined;
    if (!handler) return 'ignored';
    const inserted = await tx.$executeRawUnsafe(
      'INSERT INTO inbox_event (consumer, event_id, type) VALUES ($1, $2::uuid, $3) ON CONFLICT DO NOTHING',
      this.options.name,
      event.id,
      event.type,
    );
    if (inserted === 0) return 'duplicate';
    await handler(event, tx);
    return 'processed';
  }

  /**
   * The chunk's inbox rows in ONE statement; only the events it inserted (new to this consumer,
   * the first of any id repeated in the chunk) reach the batch handler, in order.
   */
  private async applySetInTx(
    chunk: TransportMessage[],
    events: AnyEvent[],
    tx: Tx,
    batchHandler: BatchHandler<Tx>,
  ): Promise<{ outcomes: Outcome[]; inSpan: InEventSpan }> {
    const none: InEventSpan = (_event, fn) => fn();
    const handled = events.filter((event) => this.options.handlers[event.type] !== undefined);
    const inserted =
      handled.length === 0
        ? []
        : await tx.$queryRawUnsafe<{ event_id: string }[]>(
            `INSERT INTO inbox_event (consumer, event_id, type)
             SELECT $1, t.event_id, t.type FROM unnest($2::uuid[], $3::text[]) AS t(event_id, type)
             ON CONFLICT DO NOTHING
             RETURNING event_id::text AS event_id`,
            this.options.name,
            handled.map((event) => event.id),
            handled.map((event) => event.type),
          );
    const fresh = new Set(inserted.map((row) => row.event_id.toLowerCase()));
    const outcomes = events.map((event): Outcome => {
      if (this.options.handlers[event.type] === undefined) return 'ignored';
      return fresh.delete(event.id.toLowerCase()) ? 'processed' : 'duplicate';
    });
    const applied = events.flatMap((event, i) => (outcomes[i] === 'processed' ? [i] : []));
    if (applied.length === 0) return { outcomes, inSpan: none };
    const news = applied.map((i) => events[i]!);
    const spans = startChunkSpans(news, (j) => this.spanAttributes(chunk[applied[j]!]!));
    // A chunk of one event is that event's work: its statements join the event's trace, as on
    // the per-event path. A larger chunk's statements serve every event at once and belong to
    // none of their traces; what each event produced is still stamped inside its own span.
    const handle = () => batchHandler(news, tx, spans.run);
    try {
      await (news.length === 1 ? spans.run(news[0]!, handle) : handle());
    } catch (err) {
      spans.end(err);
      throw err;
    }
    spans.end();
    return { outcomes, inSpan: spans.run };
  }

  private async databaseReachable(): Promise<boolean> {
    try {
      await this.options.db.$queryRawUnsafe('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  private async deadLetter(
    message: TransportMessage,
    reason: 'validation' | 'refused' | 'handler',
    error: string,
    event?: AnyEvent,
  ): Promise<Outcome> {
    await this.options.transport.send([
      deadLetterRecord({
        topic: message.topic,
        key: message.key ?? '',
        value: message.value,
        headers: message.headers,
        reason,
        error,
        consumer: this.options.name,
        source: `${message.topic}/${message.partition}/${message.offset}`,
      }),
    ]);
    this.options.logger.error(
      { eventId: event?.id, reason, error, source: message.topic },
      'event dead-lettered',
    );
    consumedTotal.inc({
      consumer: this.options.name,
      type: event?.type ?? 'invalid',
      outcome: 'dead-lettered',
    });
    return 'dead-lettered';
  }

  private eventLogger(event: AnyEvent) {
    return this.options.logger.child({
      eventId: event.id,
      eventType: event.type,
      subject: event.subject,
    });
  }

  private consumedLog(event: AnyEvent, outcome: Outcome): void {
    this.eventLogger(event).info({ outcome }, 'event consumed');
  }

  private count(event: AnyEvent, outcome: Outcome): Outcome {
    consumedTotal.inc({ consumer: this.options.name, type: event.type, outcome });
    return outcome;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The one shape of a dead-lettered message: the original key and value on `<topic>.dlq`, with
 * headers saying why (`dlq-reason`: validation | refused | handler), the error a person reads,
 * which consumer gave up and where the message came from.
 */
export function deadLetterRecord(input: {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
  reason: 'validation' | 'refused' | 'handler';
  error: string;
  consumer: string;
  source: string;
}): OutgoingMessage {
  return {
    topic: dlqTopic(input.topic),
    key: input.key,
    value: input.value,
    headers: {
      ...input.headers,
      'dlq-reason': input.reason,
      'dlq-error': input.error,
      'dlq-consumer': input.consumer,
      'dlq-source': input.source,
      'dlq-failed-at': new Date().toISOString(),
    },
  };
}

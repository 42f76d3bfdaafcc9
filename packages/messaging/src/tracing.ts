/**
 * Trace context across the outbox and the broker, through the CloudEvents distributed-tracing
 * extension (`traceparent`, `tracestate` in the envelope):
 *
 * - `enqueue` (in the business transaction) starts a `create <type>` span in the caller's trace
 *   and writes its context into the event it stores, so the context is the one of the change
 *   that produced the event — not the relay's, which sends it later, in a batch, maybe after a
 *   restart.
 * - The relay's `publish <topic>` span continues the stored context (and puts it in the Kafka
 *   `traceparent` header, which the kafkajs instrumentation links its consumer spans to); the
 *   relay's own polling is not traced.
 * - The consumer's `process <type>` span is a child of the envelope's context, with the
 *   handler's database work inside it, on both transports.
 *
 * With no SDK started (tracing off) every call here goes to @opentelemetry/api's no-op
 * implementation: no span, nothing written, no await added to the hot path.
 */
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { AnyEvent } from '@bfi/events';

const tracer = trace.getTracer('@bfi/messaging');

/**
 * No SDK started: the global propagator is the API's no-op one, which names no fields. One
 * global lookup, so the hot path skips even the no-op spans when tracing is off.
 */
function tracingOff(): boolean {
  return propagation.fields().length === 0;
}

export interface TraceAttributes {
  traceparent?: string;
  tracestate?: string;
}

function carrierOf(ctx: Context): TraceAttributes {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent
    ? {
        traceparent: carrier.traceparent,
        ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
      }
    : {};
}

/** The context an envelope (or a stored outbox payload) carries; ROOT_CONTEXT when none. */
export function contextOf(attributes: TraceAttributes): Context {
  if (!attributes.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, attributes);
}

/**
 * The event as it is written to the outbox: with the context of a new `create <type>` span of
 * the active trace in its tracing attributes. Unchanged when tracing is off (or it has them).
 */
export function withTraceContext(event: AnyEvent, topic: string): AnyEvent {
  if (event.traceparent || tracingOff()) return event;
  const span = tracer.startSpan(`create ${event.type}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.operation.type': 'create',
      'messaging.destination.name': topic,
      'messaging.message.id': event.id,
      'cloudevents.event_id': event.id,
      'cloudevents.event_type': event.type,
      'cloudevents.event_subject': event.subject,
    },
  });
  span.end();
  if (!isSpanContextValid(span.spanContext())) return event;
  return { ...event, ...carrierOf(trace.setSpan(context.active(), span)) };
}

const TRACEPARENT_KEY = '"traceparent"';

/**
 * `publish <topic>` spans for the outbox rows being sent, each a child of the context stored
 * with its row, and the Kafka headers that carry it. Rows without a stored context (tracing was
 * off when they were written) get none; the payload is only parsed when it holds one.
 */
export function publishSpans(
  rows: { id: string; topic: string; key: string; payload: string }[],
): (Span | undefined)[] {
  return rows.map((row) => {
    if (!row.payload.includes(TRACEPARENT_KEY)) return undefined;
    const stored = JSON.parse(row.payload) as TraceAttributes;
    return tracer.startSpan(
      `publish ${row.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.operation.type': 'send',
          'messaging.destination.name': row.topic,
          'messaging.message.id': row.id,
          'messaging.kafka.message.key': row.key,
        },
      },
      contextOf(stored),
    );
  });
}

/** The Kafka headers (`traceparent`, `tracestate`) of a publish span; {} without one. */
export function headersOf(span: Span | undefined): Record<string, string> {
  if (!span) return {};
  return carrierOf(trace.setSpan(ROOT_CONTEXT, span)) as Record<string, string>;
}

/** Ends spans, marking them failed with the error when there is one. */
export function endSpans(spans: (Span | undefined)[], err?: unknown): void {
  for (const span of spans) {
    if (!span) continue;
    if (err !== undefined) failed(span, err);
    span.end();
  }
}

/** Runs fn with tracing suppressed: background polling makes no spans (explicit parents still do). */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}

/**
 * Runs fn (a consumer applying one event) inside a `process <type>` span that continues the
 * event's trace; the outcome fn returns is recorded on it.
 */
export function inConsumerSpan<T extends string>(
  event: AnyEvent,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  if (tracingOff()) return fn();
  const { span, ctx } = startConsumerSpan(event, attributes);
  return context.with(ctx, fn).then(
    (outcome) => {
      span.setAttribute('bfi.outcome', outcome);
      if (outcome === 'dead-lettered') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      return outcome;
    },
    (err: unknown) => {
      failed(span, err);
      span.end();
      throw err;
    },
  );
}

function startConsumerSpan(event: AnyEvent, attributes: Attributes) {
  const parent = contextOf(event);
  const span = tracer.startSpan(
    `process ${event.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.operation.type': 'process',
        'messaging.message.id': event.id,
        'cloudevents.event_id': event.id,
        'cloudevents.event_type': event.type,
        'cloudevents.event_subject': event.subject,
        ...attributes,
      },
    },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Runs fn as the consumer's work on one event of a chunk (its `process` span current). */
export type InEventSpan = <T>(event: AnyEvent, fn: () => T) => T;

/**
 * The `process <type>` spans of a chunk applied set-based: one per event, each continuing its
 * event's trace, ended together with the chunk's outcome. `run` makes one current, so what the
 * handler enqueues for that event (stamped with traceStamped) stays in the event's trace.
 */
export function startChunkSpans(
  events: AnyEvent[],
  attributesOf: (i: number) => Attributes,
): { run: InEventSpan; end(err?: unknown): void } {
  if (tracingOff()) return { run: (_event, fn) => fn(), end: () => {} };
  const started = new Map(events.map((e, i) => [e.id, startConsumerSpan(e, attributesOf(i))]));
  return {
    run: (event, fn) => {
      const s = started.get(event.id);
      return s ? context.with(s.ctx, fn) : fn();
    },
    end: (err) => {
      for (const { span } of started.values()) {
        if (err === undefined) span.setAttribute('bfi.outcome', 'processed');
        else failed(span, err);
        span.end();
      }
    },
  };
}

function failed(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: err instanceof Error ? err.message : String(err),
  });
}

/**
 * trace_id / span_id of the active span for a log line ({} when no span is active). A new object
 * each call: pino merges the line's own fields into what the mixin returns.
 */
export function activeTraceFields(): Record<string, string> {
  if (tracingOff()) return {};
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  const { traceId, spanId, traceFlags } = spanContext;
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}

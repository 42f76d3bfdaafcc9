import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DonationIdSchema, FundSlugSchema, IdSchema, TimestampSchema } from './common';
import { SubscriptionIdSchema } from './subscription';
import { EventValidationError, issuesOf } from './errors';
import {
  EVENT_REGISTRY,
  EVENT_TYPES,
  isEventType,
  subjectFieldOf,
  topicOf,
  type DataOf,
  type EventType,
} from './registry';
import type { Topic } from './topics';

export const SPEC_VERSION = '1.0';
export const DATA_CONTENT_TYPE = 'application/json';
/** Kafka `content-type` header of a CloudEvents structured-mode message. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * A CloudEvents 1.0 envelope (structured mode) carrying `data` of event type T.
 * Distributive, so EventOf<A | B> is EventOf<A> | EventOf<B> and stays a discriminated union.
 */
export type EventOf<T extends EventType> = T extends EventType
  ? {
      specversion: typeof SPEC_VERSION;
      id: string;
      source: string;
      type: T;
      time: string;
      /** The donation id (the fund slug for fund events); also the Kafka message key. */
      subject: string;
      datacontenttype: typeof DATA_CONTENT_TYPE;
      /**
       * CloudEvents distributed-tracing extension: the W3C trace context in which the event was
       * written (captured at the outbox insert). Optional: events written with tracing off, or
       * before it existed, have none.
       */
      traceparent?: string;
      tracestate?: string;
      data: DataOf<T>;
    }
  : never;

/** Any known event; `switch (event.type)` narrows `event.data`. */
export type AnyEvent = EventOf<EventType>;

/** W3C Trace Context `traceparent`: version-traceid-parentid-flags (later versions may append). */
const TraceparentSchema = z
  .string()
  .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-[ -~]*)?$/, {
    error: 'must be a W3C traceparent, e.g. 00-<32 hex trace id>-<16 hex span id>-01',
  })
  .max(256);
/** W3C Trace Context `tracestate`: printable ASCII list members, at most 512 characters. */
const TracestateSchema = z
  .string()
  .max(512)
  .regex(/^[ -~]*$/, { error: 'must be a W3C tracestate (printable ASCII)' });

function envelopeSchema(type: EventType) {
  const field = subjectFieldOf(type);
  return z
    .strictObject({
      specversion: z.literal(SPEC_VERSION),
      id: IdSchema,
      source: z
        .string()
        .regex(/^\S+$/, { error: 'must be a non-empty URI reference, e.g. /services/payment' }),
      type: z.literal(type),
      time: TimestampSchema,
      subject:
        field === 'slug'
          ? FundSlugSchema
          : field === 'subscriptionId'
            ? SubscriptionIdSchema
            : DonationIdSchema,
      datacontenttype: z.literal(DATA_CONTENT_TYPE),
      traceparent: TraceparentSchema.optional(),
      tracestate: TracestateSchema.optional(),
      data: EVENT_REGISTRY[type].schema,
    })
    .superRefine((env, ctx) => {
      const expected = (env.data as Record<string, string>)[field];
      if (env.subject !== expected) {
        ctx.addIssue({
          code: 'custom',
          message: `must equal data.${field} (${expected}), got ${env.subject}`,
          path: ['subject'],
        });
      }
    });
}

// Built once: parsing is on the hot path of every consumer.
const ENVELOPE_SCHEMAS = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, envelopeSchema(type)]),
) as Record<EventType, ReturnType<typeof envelopeSchema>>;

function decode(value: unknown): unknown {
  if (value === null || value === undefined) {
    throw new EventValidationError('Event is empty (message has no value)');
  }
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) return value;
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventValidationError(`Event is not valid JSON: ${(error as Error).message}`);
  }
}

function unknownTypeMessage(type: string): string {
  const base = type.replace(/\.v\d+$/, '');
  const versions = EVENT_TYPES.filter((t) => t.replace(/\.v\d+$/, '') === base);
  if (versions.length > 0) {
    return `Unknown event type "${type}": known versions are ${versions.join(', ')}`;
  }
  return `Unknown event type "${type}"; known types: ${EVENT_TYPES.join(', ')}`;
}

function typeOf(candidate: unknown): { type: EventType; id?: string } {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    throw new EventValidationError('Event must be a JSON object (a CloudEvents envelope)');
  }
  const { type, id } = candidate as { type?: unknown; id?: unknown };
  const eventId = typeof id === 'string' ? id : undefined;
  if (typeof type !== 'string') {
    throw new EventValidationError('Event has no "type" attribute', [], undefined, eventId);
  }
  if (!isEventType(type)) {
    throw new EventValidationError(unknownTypeMessage(type), [], type, eventId);
  }
  return { type, id: eventId };
}

export type ParseEventOptions = {
  /** The topic the message came from: an event type that belongs elsewhere is refused. */
  topic?: Topic;
};

/**
 * Decodes (string, Buffer or already-parsed object) and fully validates an event. Throws
 * EventValidationError with every problem listed; nothing partially valid gets through.
 */
export function parseEvent(value: unknown, options: ParseEventOptions = {}): AnyEvent {
  const candidate = decode(value);
  const { type, id } = typeOf(candidate);
  const result = ENVELOPE_SCHEMAS[type].safeParse(candidate);
  if (!result.success) {
    throw new EventValidationError(
      `Invalid ${type} event${id ? ` ${id}` : ''}`,
      issuesOf(result.error),
      type,
      id,
    );
  }
  if (options.topic !== undefined && topicOf(type) !== options.topic) {
    throw new EventValidationError(
      `Event type ${type} belongs on topic ${topicOf(type)}, not ${options.topic}`,
      [],
      type,
      id,
    );
  }
  return result.data as AnyEvent;
}

export type CreateEventOptions = {
  /** CloudEvents source, e.g. "/services/payment". */
  source: string;
  /** Defaults to data.donationId (data.slug for fund events); if given it must equal it. */
  subject?: string;
  /** Defaults to a new random UUID. Fix it once (at outbox insert) so consumers can dedupe. */
  id?: string;
  /** Defaults to now. */
  time?: string | Date;
};

/** Builds and validates an envelope; throws EventValidationError on a contract mistake. */
export function createEvent<T extends EventType>(
  type: T,
  data: DataOf<T>,
  options: CreateEventOptions,
): EventOf<T> {
  const time = options.time instanceof Date ? options.time.toISOString() : options.time;
  const envelope = {
    specversion: SPEC_VERSION,
    id: options.id ?? randomUUID(),
    source: options.source,
    type,
    time: time ?? new Date().toISOString(),
    subject: options.subject ?? (data as Record<string, string>)[subjectFieldOf(type)],
    datacontenttype: DATA_CONTENT_TYPE,
    data,
  };
  return parseEvent(envelope) as EventOf<T>;
}

/** JSON text of the Kafka message value; validates first so a bad event never leaves. */
export function serializeEvent(event: AnyEvent): string {
  return JSON.stringify(parseEvent(event));
}

export type KafkaRecord = {
  topic: Topic;
  /** The subject (donation id, or fund slug): all events of one land in one partition, in order. */
  key: string;
  value: string;
  headers: { 'content-type': string };
};

/** Topic, key, value and headers for publishing `event` in CloudEvents structured mode. */
export function toKafkaRecord(event: AnyEvent): KafkaRecord {
  const value = serializeEvent(event);
  return {
    topic: topicOf(event.type),
    key: event.subject,
    value,
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}

export * from './transport';
export * from './sql';
export * from './backoff';
/** pino's logger, the one every part of the suite takes (made by @bfi/platform's createLogger). */
export type { Logger } from 'pino';
export { KafkaTransport, type KafkaTransportOptions } from './kafka-transport';
export { InProcessTransport, type InProcessTransportOptions } from './in-process-transport';
export { enqueue, OutboxRelay, traceStamped, type OutboxRelayOptions } from './outbox';
export {
  deadLetterRecord,
  InboxConsumer,
  PermanentEventError,
  type EventHandler,
  type EventHandlers,
  type BatchHandler,
  type InboxConsumerOptions,
  type Outcome,
} from './inbox-consumer';
export { createTransportFromEnv } from './from-env';
export {
  DeadLetters,
  type DeadLetter,
  type DeadLettersOptions,
  type ReplayResult,
} from './dead-letters';
export {
  activeTraceFields,
  contextOf,
  withTraceContext,
  type InEventSpan,
  type TraceAttributes,
} from './tracing';
export * from './ticker';

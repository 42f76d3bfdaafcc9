import { randomUUID } from 'node:crypto';
import { parseEvent, type AnyEvent } from '@bfi/events';
import { KafkaTransport, type Transport, type TransportMessage } from '@bfi/messaging';
import { createLogger } from '@bfi/platform';

export const testLogger = createLogger('test');

/** Brokers of the real Kafka that `npm test` starts through infra/ (KAFKA_BROKERS). */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

/** A Kafka transport plus a unique topic namespace, so concurrent test files never see each other's events. */
export function testKafka(clientId = 'test'): { transport: Transport; namespace: string } {
  return {
    transport: new KafkaTransport({ brokers: kafkaBrokers(), clientId, logger: testLogger }),
    namespace: `t${randomUUID().slice(0, 8)}.`,
  };
}

/** Polls until check() passes or the deadline passes (then the last failure is thrown). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface Tap {
  messages: TransportMessage[];
  /** Parsed CloudEvents seen on the topic (malformed ones skipped). */
  events(): AnyEvent[];
  stop(): Promise<void>;
}

/** Records every message on a topic under its own consumer group: what "is on the broker". */
export async function tapTopic(transport: Transport, topic: string): Promise<Tap> {
  await transport.ensureTopics([topic]);
  const messages: TransportMessage[] = [];
  const sub = await transport.subscribe(
    { groupId: `tap-${randomUUID()}`, topics: [topic], fromBeginning: true },
    async (batch, ctx) => {
      for (const m of batch) {
        messages.push(m);
        ctx.resolve(m.offset);
      }
    },
  );
  await sub.ready;
  return {
    messages,
    events: () =>
      messages.flatMap((m) => {
        try {
          return [parseEvent(m.value)];
        } catch {
          return [];
        }
      }),
    stop: () => sub.stop(),
  };
}
export * from './fuzz';
export * from './sse-client';
export * from './fuzz-values';
export * from './redocly';

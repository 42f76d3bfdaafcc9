import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createEvent, type AnyEvent } from '@bfi/events';
import { createPrisma, createTestDatabase } from '@bfi/db';
import pino from 'pino';
import {
  enqueue,
  InboxConsumer,
  OutboxRelay,
  type InboxConsumerOptions,
  type Transport,
  type TransportMessage,
} from '../src';
import { PrismaClient } from './fixture/src/db/generated/client';

// pino as @bfi/platform's createLogger makes it (messaging sits below the platform package).
export const logger = pino({ name: 'messaging-test', level: process.env.LOG_LEVEL ?? 'info' });
export const migrationsDir = join(__dirname, 'fixture', 'src', 'db', 'migrations');

export type Db = PrismaClient;
type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** A payment.succeeded for one donation: the shape the real services send. */
export function succeeded(donationId: string = randomUUID()): AnyEvent {
  return createEvent(
    'payment.succeeded.v1',
    {
      donationId,
      provider: 'stripe',
      providerRefs: { paymentIntentId: `pi_${donationId.slice(0, 8)}` },
      channel: 'online',
      officeId: null,
      donationPointId: null,
      fund: 'specialist-training',
      gross: { minor: 2500, currency: 'BYN' },
      fee: null,
      occurredAt: new Date().toISOString(),
    },
    { source: '/test/messaging', subject: donationId },
  );
}

/** One isolated world per test: own database, own topic namespace. */
export async function openWorld(makeTransport: () => Transport) {
  const database = await createTestDatabase({ prefix: 'messaging', migrationsDir });
  const db = createPrisma(PrismaClient, database.url);
  const transport = makeTransport();
  const ns = `t${randomUUID().slice(0, 8)}.`;
  const topic = `${ns}payment.events`;
  await transport.ensureTopics([topic, `${topic}.dlq`]);
  const closers: (() => Promise<unknown>)[] = [];

  const world = {
    url: database.url,
    db,
    transport,
    ns,
    topic,
    /** Commits events to the outbox in one transaction, as a service does with its state change. */
    async produce(events: AnyEvent[]) {
      await db.$transaction((tx) => enqueue(tx, events, ns));
    },
    relay(faults?: { afterSend?: () => void | Promise<void> }) {
      const relay = new OutboxRelay({
        name: 'test',
        db,
        publisher: transport,
        logger,
        faults,
        pollMs: 50,
      });
      closers.push(() => relay.stop());
      return relay;
    },
    async consumer(extra: Partial<InboxConsumerOptions<Tx>> = {}) {
      const consumer = new InboxConsumer<Tx>({
        name: `effects-${ns}`,
        transport,
        db,
        topics: [topic],
        logger,
        retry: { attempts: 3, initialMs: 10, maxMs: 50 },
        handlers: {
          'payment.succeeded.v1': async (event, tx) => {
            await tx.effect.create({ data: { eventId: event.id, key: event.subject } });
          },
        },
        ...extra,
      });
      closers.push(() => consumer.stop());
      await consumer.start();
      return consumer;
    },
    /** Every message that reaches a topic, under its own consumer group. */
    async tap(tapTopic: string) {
      const seen: TransportMessage[] = [];
      const sub = await transport.subscribe(
        { groupId: `tap-${randomUUID()}`, topics: [tapTopic], fromBeginning: true },
        async (batch, ctx) => {
          for (const m of batch) {
            seen.push(m);
            ctx.resolve(m.offset);
          }
        },
      );
      closers.push(() => sub.stop());
      await sub.ready;
      return seen;
    },
    async effects() {
      return db.effect.findMany({ orderBy: { id: 'asc' } });
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await transport.close();
      await db.$disconnect();
      await database.drop();
    },
  };
  return world;
}

export type World = Awaited<ReturnType<typeof openWorld>>;

/** Polls until check() passes or the deadline passes (then the last failure is thrown). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30000): Promise<T> {
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

export class Crash extends Error {}

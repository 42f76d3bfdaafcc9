// Postings per second, consume → entries committed, on the real broker and database.
//   npm run bench -w @bfi/pledge-ledger            (BENCH_EVENTS=100000 by default)
// Loads N payment events on a fresh namespaced topic first, then starts the service's consumer
// and times until every event is in the inbox (its entries committed in the same transaction).
// A second, smaller run applies events directly (no Kafka) one per transaction and 100 per
// transaction, to show where the time goes.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createPrisma, createTestDatabase } from '@bfi/db';
import { createEvent, toKafkaRecord, TOPICS, type AnyEvent } from '@bfi/events';
import { KafkaTransport, type Transport } from '@bfi/messaging';
import { createLogger } from '@bfi/platform';
import { kafkaBrokers } from '@bfi/testing';
import path from 'node:path';
import { PrismaClient, type Db, type Tx } from '../src/db/client';
import { verifyChain } from '../src/ledger/db/audit';
import { register, type Counter } from 'prom-client';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import { applyPaymentEvents } from '../src/ledger/app/apply-payment-batch';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { createPledgeLedgerService } from '../src/service';

const BATCH = Number(process.env.BENCH_BATCH ?? 100);

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const DIRECT = Number(process.env.BENCH_DIRECT_EVENTS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const logger = createLogger('bench');
logger.level = 'warn';

/** A realistic mix, valid in per-donation order: ~80% successes (with fee), ~13% refunds, ~7% disputes. */
function paymentEvents(n: number): AnyEvent[] {
  const events: AnyEvent[] = [];
  const source = { source: '/services/payment' };
  while (events.length < n) {
    const donationId = randomUUID();
    const gross = { minor: 500 + Math.floor(Math.random() * 20000), currency: 'BYN' as const };
    const data = {
      donationId,
      provider: 'stripe' as const,
      providerRefs: { chargeId: `ch_${donationId.slice(0, 12)}` },
      channel: 'online' as const,
      officeId: null,
      donationPointId: null,
      fund: Math.random() < 0.7 ? 'specialist-training' : 'general',
      gross,
      fee: { minor: Math.round(gross.minor * 0.029) + 10, currency: 'BYN' as const },
      occurredAt: new Date().toISOString(),
    };
    events.push(createEvent('payment.succeeded.v1', data, source));
    const r = Math.random();
    if (r < 0.13) {
      const amount = { minor: Math.ceil(gross.minor / 2), currency: 'BYN' as const };
      events.push(
        createEvent(
          'payment.refunded.v1',
          {
            ...data,
            refundId: `re_${randomUUID()}`,
            amount,
            totalRefunded: amount,
            fullyRefunded: amount.minor === gross.minor,
          },
          source,
        ),
      );
    } else if (r < 0.17) {
      const disputeId = `dp_${randomUUID()}`;
      events.push(
        createEvent('payment.disputed.v1', { ...data, disputeId, amount: gross }, source),
      );
      events.push(
        createEvent(
          'payment.dispute-closed.v1',
          { ...data, disputeId, amount: gross, outcome: Math.random() < 0.5 ? 'won' : 'lost' },
          source,
        ),
      );
    }
  }
  return events.slice(0, n);
}

/** Wraps a transport to record the batch sizes Kafka hands the consumer. */
function recordingBatches(inner: Transport, sizes: number[]): Transport {
  return {
    name: inner.name,
    send: (m) => inner.send(m),
    ensureTopics: (t) => inner.ensureTopics(t),
    missingTopics: (t) => inner.missingTopics(t),
    lag: (g, t) => inner.lag(g, t),
    readAll: (t) => inner.readAll(t),
    close: () => inner.close(),
    subscribe: (options, handler) =>
      inner.subscribe(options, (batch, ctx) => {
        sizes.push(batch.length);
        return handler(batch, ctx);
      }),
  };
}

async function count(db: Db, sql: string): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(sql);
  return Number(row?.n ?? 0);
}

/** Waits until every bench event is in the inbox, printing the rate every ten seconds. */
async function waitConsumed(db: Db, t0: number): Promise<void> {
  let done = 0;
  let lastReport = t0;
  while (done < N) {
    await new Promise((r) => setTimeout(r, 500));
    done = await count(db, 'SELECT count(*) AS n FROM inbox_event');
    if (performance.now() - lastReport > 10000) {
      lastReport = performance.now();
      console.log(`  … ${done}/${N} consumed (${Math.round(done / ((lastReport - t0) / 1000))}/s)`);
    }
  }
}

async function viaKafka(): Promise<void> {
  const database = await createTestDatabase({
    prefix: 'ledger_bench',
    migrationsDir: path.join(__dirname, '..', 'src', 'db', 'migrations'),
  });
  const db = createPrisma(PrismaClient, database.url, { max: 10 });
  const kafka = new KafkaTransport({ brokers: kafkaBrokers(), clientId: 'ledger-bench', logger });
  const namespace = `bench${randomUUID().slice(0, 8)}.`;
  const topic = namespace + TOPICS.payment;
  try {
    await kafka.ensureTopics([topic]);
    const events = paymentEvents(N);
    let t0 = performance.now();
    for (let i = 0; i < events.length; i += 2000) {
      await kafka.send(events.slice(i, i + 2000).map((e) => ({ ...toKafkaRecord(e), topic })));
    }
    const produceS = (performance.now() - t0) / 1000;
    console.log(
      `loaded ${N} payment events on ${topic} in ${produceS.toFixed(1)} s (${Math.round(N / produceS)}/s)`,
    );

    const sizes: number[] = [];
    const service = createPledgeLedgerService({
      db,
      transport: recordingBatches(kafka, sizes),
      namespace,
      logger,
      config: { apiKeys: [], lagIntervalMs: 5000, consumerBatchSize: BATCH },
    });
    t0 = performance.now();
    const statements0 = await statementsSent();
    await service.start();
    await waitConsumed(db, t0);
    const seconds = (performance.now() - t0) / 1000;
    const statements = (await statementsSent()) - statements0;
    const entries = await count(db, 'SELECT count(*) AS n FROM journal_entry');
    const unbalanced = await count(
      db,
      'SELECT count(*) AS n FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency HAVING sum(amount_minor) <> 0) x',
    );
    const chain = await verifyChain(db);
    await service.stop();
    const avg = sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length);
    console.log(`\nKafka → ledger: ${N} events, ${entries} entries in ${seconds.toFixed(1)} s`);
    console.log(
      `  ${Math.round(N / seconds)} events/s, ${Math.round(entries / seconds)} entries/s committed (unbalanced: ${unbalanced}; hash chain ${chain.ok ? `ok over ${chain.checked} entries` : `BROKEN at seq ${chain.firstBreak?.seq}`})`,
    );
    console.log(
      `  Kafka fetch batches: ${sizes.length}, avg ${avg.toFixed(0)} / max ${Math.max(...sizes)} messages`,
    );
    console.log(
      `  up to ${BATCH} events per transaction (BENCH_BATCH); ${(statements / N).toFixed(2)} statements per event (db_statements_total, this process's relays and polling included)`,
    );
  } finally {
    await kafka.close();
    await db.$disconnect();
    await database.drop();
  }
}

/** The process's db_statements_total (packages/db/src/prisma.ts). */
async function statementsSent(): Promise<number> {
  const metric = register.getSingleMetric('db_statements_total') as Counter | undefined;
  const { values } = (await metric?.get()) ?? { values: [] };
  return values.reduce((sum, v) => sum + v.value, 0);
}

type Mode = {
  key: string;
  name: string;
  perTx: number;
  apply: (tx: Tx, events: PaymentEvent[]) => Promise<void>;
};

const MODES: Mode[] = [
  { key: 'one', name: 'per event, 1 per transaction', perTx: 1, apply: perEventApply },
  { key: 'chunk', name: 'per event, 100 per transaction', perTx: 100, apply: perEventApply },
  {
    key: 'set',
    name: 'set-based, 100 per transaction',
    perTx: 100,
    apply: async (tx, events) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO inbox_event (consumer, event_id, type)
         SELECT 'bench', id, type FROM unnest($1::uuid[], $2::text[]) AS t(id, type)`,
        events.map((e) => e.id),
        events.map((e) => e.type),
      );
      await applyPaymentEvents(tx, events, { namespace: 'bench.' });
    },
  },
];

async function perEventApply(tx: Tx, events: PaymentEvent[]): Promise<void> {
  for (const e of events) {
    await tx.$executeRaw`INSERT INTO inbox_event (consumer, event_id, type) VALUES ('bench', ${e.id}::uuid, ${e.type})`;
    await applyPaymentEvent(tx, e, { namespace: 'bench.' });
  }
}

/**
 * The same postings without Kafka, each mode on fresh events, modes alternated ROUNDS times so
 * that a noisy machine loads them alike: events/s and statements per event (BEGIN/COMMIT in).
 * BENCH_MODES picks the modes: one (per event, 1/tx), chunk (per event, 100/tx), set (default).
 */
async function direct(): Promise<void> {
  const database = await createTestDatabase({
    prefix: 'ledger_bench_direct',
    migrationsDir: path.join(__dirname, '..', 'src', 'db', 'migrations'),
  });
  // Unnamed statements (parsed and planned every time) vs named ones (createPrisma's option).
  const clients = [
    { name: 'unnamed', db: createPrisma(PrismaClient, database.url) },
    { name: 'named', db: createPrisma(PrismaClient, database.url, { namedStatements: true }) },
  ];
  const modes = MODES.filter((m) => (process.env.BENCH_MODES ?? 'set').includes(m.key));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of modes) {
        for (const { name, db } of clients) {
          const events = paymentEvents(DIRECT) as PaymentEvent[];
          const statements0 = await statementsSent();
          const t0 = performance.now();
          for (let i = 0; i < events.length; i += mode.perTx) {
            const slice = events.slice(i, i + mode.perTx);
            await db.$transaction((tx) => mode.apply(tx, slice), { timeout: 60000 });
          }
          const s = (performance.now() - t0) / 1000;
          const perEvent = ((await statementsSent()) - statements0) / DIRECT;
          console.log(
            `direct (no Kafka) round ${round}, ${mode.name}, ${name}: ${DIRECT} events in ${s.toFixed(1)} s → ${Math.round(DIRECT / s)} events/s, ${perEvent.toFixed(2)} statements/event`,
          );
        }
      }
    }
  } finally {
    for (const { db } of clients) await db.$disconnect();
    await database.drop();
  }
}

async function main(): Promise<void> {
  console.log(
    `pledge-ledger bench: ${N} events via Kafka, ${DIRECT} direct; brokers ${kafkaBrokers().join(',')}`,
  );
  if (N > 0) await viaKafka();
  await direct();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

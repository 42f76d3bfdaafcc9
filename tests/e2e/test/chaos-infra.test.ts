// Fault scenario (c): the infrastructure fails under a stream of gifts.
//   - the Kafka broker is SIGKILLed and started again on the same data;
//   - PostgreSQL (all three services' databases) crashes (immediate stop) and starts again.
// The services stay up; they must ride it out and end with the invariants.
import {
  awaitInvariants,
  Book,
  infraFromEnv,
  LONG,
  printSummary,
  scaled,
  Suite,
  until,
  WebhookStream,
} from '../src';

let suite: Suite;
const book = new Book();
const infra = infraFromEnv();

beforeAll(async () => {
  suite = await Suite.start({ scenario: 'infra', infra, autoWebhooks: false, stockPerOffice: 10 });
});

afterAll(async () => {
  // Whatever happened, leave the shared private infrastructure up for the next test file.
  if (!infra.pg.isRunning()) await infra.pg.start();
  await infra.kafka.start(true);
  await suite?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  `${LONG ? 'long' : 'short'}: the Kafka broker killed and restarted during the stream`,
  async () => {
    const outages = scaled(1, 3);
    const stream = new WebhookStream(suite, book, {
      donations: scaled(60, 600),
      concurrency: 4,
      duplicateRate: 0.2,
      timeoutMs: scaled(600_000, 3_600_000),
      seed: 31,
    });
    const detail: { atProgress: number; downMs: number }[] = [];
    let lastUp = Date.now();
    const stats = await stream.runWithFaults(async () => {
      for (let i = 0; i < outages; i++) {
        await until(
          () => stream.progress >= (i + 1) / (outages + 1),
          `stream progress for outage ${i + 1}`,
          300_000,
        );
        const atProgress = Number(stream.progress.toFixed(2));
        const t0 = Date.now();
        await suite.kafka.kill();
        await sleep(3000); // the stream goes on against a system without a broker
        await suite.kafka.start(true);
        lastUp = Date.now();
        detail.push({ atProgress, downMs: lastUp - t0 });
      }
    });
    const streamEnd = Date.now();
    const { figures, recoverMs } = await awaitInvariants(suite, { book });
    expect(detail).toHaveLength(outages);
    printSummary('c1-kafka-broker-restarted', {
      stream: stats,
      gifts: book.counts(),
      kills: { kafkaBroker: outages, detail },
      restarts: outages,
      invariants: figures,
      recoverMs,
      sinceBrokerBackMs: Date.now() - lastUp,
      afterStreamEndMs: Date.now() - streamEnd,
    });
  },
  scaled(600_000, 3_600_000),
);

test(
  `${LONG ? 'long' : 'short'}: PostgreSQL crashed (immediate stop) and restarted during the stream`,
  async () => {
    const outages = scaled(1, 3);
    const stream = new WebhookStream(suite, book, {
      donations: scaled(60, 600),
      concurrency: 4,
      duplicateRate: 0.2,
      timeoutMs: scaled(600_000, 3_600_000),
      seed: 32,
    });
    const detail: { atProgress: number; downMs: number }[] = [];
    let lastUp = Date.now();
    const stats = await stream.runWithFaults(async () => {
      for (let i = 0; i < outages; i++) {
        await until(
          () => stream.progress >= (i + 1) / (outages + 1),
          `stream progress for outage ${i + 1}`,
          300_000,
        );
        const atProgress = Number(stream.progress.toFixed(2));
        const t0 = Date.now();
        await suite.pg.stop('immediate');
        await sleep(2000);
        await suite.pg.start();
        lastUp = Date.now();
        detail.push({ atProgress, downMs: lastUp - t0 });
      }
    });
    const streamEnd = Date.now();
    const { figures, recoverMs } = await awaitInvariants(suite, { book });
    expect(detail).toHaveLength(outages);
    printSummary('c2-postgres-restarted', {
      stream: stats,
      gifts: book.counts(),
      kills: { postgres: outages, detail },
      restarts: outages,
      invariants: figures,
      recoverMs,
      sinceDatabaseBackMs: Date.now() - lastUp,
      afterStreamEndMs: Date.now() - streamEnd,
    });
  },
  scaled(600_000, 3_600_000),
);

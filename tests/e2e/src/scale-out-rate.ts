// Not a test: events/s of 1 vs 2 pledge-ledger processes (one consumer group, one database) on
// the same backlog, alternated, on the machine's shared PostgreSQL (fsync on) and Kafka — what
// the single hash chain costs today. Run: `npx tsx src/scale-out-rate.ts [events] [rounds]`
// from tests/e2e (KAFKA_BROKERS / PG_ADMIN_URL default to 127.0.0.1:9092 and :5432).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOPICS } from '@bfi/events';
import { KafkaTransport } from '@bfi/messaging';
import { createLogger } from '@bfi/platform';
import { ServiceProcess } from '@bfi/suite';
import { paymentBacklog } from './payment-backlog';
import { withClient } from './postgres';
import { freePort } from './ports';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const admin = new URL(process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');

/** Events committed per second, from the first to the last inbox row's received_at. */
async function consumeRate(url: string, n: number) {
  return withClient(url, async (c) => {
    const deadline = Date.now() + 600_000;
    for (;;) {
      const { rows } = await c.query<{ n: string; first: Date; last: Date }>(
        'SELECT count(*) AS n, min(received_at) AS first, max(received_at) AS last FROM inbox_event',
      );
      const r = rows[0]!;
      if (Number(r.n) >= n) {
        const seconds = (r.last.getTime() - r.first.getTime()) / 1000;
        const { rows: e } = await c.query<{ n: string }>('SELECT count(*) AS n FROM journal_entry');
        return { events: n, entries: Number(e[0]!.n), seconds, perSecond: n / seconds };
      }
      if (Date.now() > deadline) throw new Error(`only ${r.n} of ${n} events consumed`);
      await new Promise((res) => setTimeout(res, 300));
    }
  });
}

async function round(instances: number, donations: number): Promise<Record<string, number>> {
  const ns = `rate${randomUUID().slice(0, 8)}.`;
  const db = `scale_out_rate_${randomUUID().slice(0, 8)}`;
  await withClient(admin.href, (c) => c.query(`CREATE DATABASE "${db}"`));
  const url = new URL(admin.href);
  url.pathname = `/${db}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-scale-out-rate-'));
  const logger = createLogger('scale-out-rate');
  logger.level = 'error';
  const kafka = new KafkaTransport({ brokers: [brokers], clientId: 'rate', logger, partitions: 4 });
  const ledgers: ServiceProcess[] = [];
  try {
    await kafka.ensureTopics([ns + TOPICS.payment, ns + TOPICS.ledger]);
    for (let i = 0; i < instances; i++) {
      const env = {
        KAFKA_BROKERS: brokers,
        TOPIC_NAMESPACE: ns,
        DATABASE_URL: url.href,
        API_KEYS: '[]',
        LOG_LEVEL: 'warn',
        MIGRATE_ON_START: 'true',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      };
      const ledger = new ServiceProcess(
        'pledge-ledger',
        await freePort(),
        env,
        `${logDir}/${i}.log`,
      );
      await ledger.start();
      ledgers.push(ledger);
    }
    // Every member has joined before the backlog lands, so no rebalance falls inside the window.
    await new Promise((r) => setTimeout(r, 3000));
    const backlog = paymentBacklog(ns, { donations, duplicateRate: 0, seed: 7 });
    for (let i = 0; i < backlog.messages.length; i += 2000) {
      await kafka.send(backlog.messages.slice(i, i + 2000));
    }
    return { instances, ...(await consumeRate(url.href, backlog.eventIds.size)) };
  } finally {
    await Promise.all(ledgers.map((l) => l.stop()));
    await kafka.close();
    await withClient(admin.href, (c) => c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`));
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 6000);
  const rounds = Number(process.argv[3] ?? 2);
  // ~1.35 events per donation in the backlog's mix.
  const donations = Math.round(events / 1.35);
  for (let i = 0; i < rounds; i++) {
    for (const instances of i % 2 === 0 ? [1, 2] : [2, 1]) {
      console.log(JSON.stringify(await round(instances, donations)));
    }
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

// Ledger path: consume → entries committed, by the pledge-ledger process (the e2e spawner) from a
// backlog of payment events on the shared broker, against PostgreSQL's ceiling for the very rows
// it wrote: the same rows inserted again, into tables of the same columns and indexes, as one
// multi-row INSERT per table per 100 events. pgbench, when installed, gives the server's own
// figures for single-row and 100-row transactions.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toKafkaRecord, TOPICS } from '@bfi/events';
import { KafkaTransport } from '@bfi/messaging';
import { createLogger } from '@bfi/platform';
import type pg from 'pg';
import { withDb } from './load';
import { per, scrape } from './metrics';
import { paymentEvents } from './payment-events';
import { dropDatabases, type Scale } from './pipeline';
import { freePort, ServiceProcess, sharedInfra } from './spawner';
import type { Figure } from './table';
import { pgbenchFigures } from './pgbench';

const EVENTS_PER_TX = 100;

async function loadBacklog(brokers: string, topic: string, n: number): Promise<void> {
  const logger = createLogger('bench');
  logger.level = 'warn';
  const kafka = new KafkaTransport({ brokers: [brokers], clientId: 'bench-loader', logger });
  try {
    await kafka.ensureTopics([topic]);
    const events = paymentEvents(n);
    for (let i = 0; i < events.length; i += 2000) {
      await kafka.send(events.slice(i, i + 2000).map((e) => ({ ...toKafkaRecord(e), topic })));
    }
  } finally {
    await kafka.close();
  }
}

/**
 * Events committed per second: those after the first commit over the time since it, once all
 * `n` are in or the time is up (then over those committed so far; `committed` says how many).
 */
async function consumeRate(
  c: pg.Client,
  n: number,
  timeoutMs: number,
): Promise<{ rate: number | null; committed: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await c.query<{ n: string; first: Date; last: Date }>(
      'SELECT count(*) AS n, min(received_at) AS first, max(received_at) AS last FROM inbox_event',
    );
    const r = rows[0]!;
    const committed = Number(r.n);
    if (committed >= n || (Date.now() > deadline && committed > 1)) {
      const { rows: after } = await c.query<{ n: string }>(
        'SELECT count(*) AS n FROM inbox_event WHERE received_at > $1',
        [r.first],
      );
      const seconds = (r.last.getTime() - r.first.getTime()) / 1000;
      return { rate: seconds > 0 ? Number(after[0]!.n) / seconds : null, committed };
    }
    if (Date.now() > deadline) return { rate: null, committed };
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** Every row of the tables the run filled, as text (re-inserted as text, cast by the column). */
async function writtenRows(
  c: pg.Client,
): Promise<Map<string, { cols: string[]; rows: string[][] }>> {
  const { rows: tables } = await c.query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_%'",
  );
  const out = new Map<string, { cols: string[]; rows: string[][] }>();
  for (const { t } of tables) {
    const res = await c.query({
      text: `SELECT * FROM "${t}"`,
      rowMode: 'array',
      types: { getTypeParser: () => (v: string) => v },
    });
    if (res.rows.length > 0) {
      out.set(t, { cols: res.fields.map((f) => f.name), rows: res.rows as string[][] });
    }
  }
  return out;
}

/** The same rows again, one multi-row INSERT per table per 100 events, each batch committed. */
async function insertCeiling(c: pg.Client, n: number): Promise<{ rate: number; shape: string }> {
  const tables = await writtenRows(c);
  for (const t of tables.keys()) {
    await c.query(`CREATE TABLE "ceiling_${t}" (LIKE "${t}" INCLUDING INDEXES)`);
  }
  const batches = Math.ceil(n / EVENTS_PER_TX);
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    await c.query('BEGIN');
    for (const [t, { cols, rows }] of tables) {
      const from = Math.floor((b * rows.length) / batches);
      const slice = rows.slice(from, Math.floor(((b + 1) * rows.length) / batches));
      if (slice.length === 0) continue;
      const values = slice.map(
        (r, i) => `(${r.map((_, j) => `$${i * cols.length + j + 1}`).join(',')})`,
      );
      await c.query(
        `INSERT INTO "ceiling_${t}" (${cols.map((col) => `"${col}"`).join(',')}) VALUES ${values.join(',')}`,
        slice.flat(),
      );
    }
    await c.query('COMMIT');
  }
  const rate = n / ((performance.now() - t0) / 1000);
  const shape = [...tables]
    .map(([t, { rows }]) => `${t} ${(rows.length / n).toFixed(2)}`)
    .join(', ');
  return { rate, shape };
}

export function ledgerProcess(env: Record<string, string>, port: number, logDir: string) {
  return new ServiceProcess(
    'pledge-ledger',
    port,
    {
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'true',
      API_KEYS: '[]',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    path.join(logDir, 'pledge-ledger.log'),
  );
}

export async function benchLedger(scale: Scale): Promise<Figure[]> {
  const n = scale.quick ? 3000 : 30_000;
  const infra = sharedInfra();
  const url = await infra.pg.createDatabase(`bench_ledger_${randomUUID().slice(0, 8)}`);
  const ns = `bench${randomUUID().slice(0, 8)}.`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-bench-ledger-'));
  const ledger = ledgerProcess(
    { KAFKA_BROKERS: infra.kafka.brokers, TOPIC_NAMESPACE: ns, DATABASE_URL: url },
    await freePort(),
    logDir,
  );
  try {
    scale.log(`ledger: ${n} payment events on ${ns}${TOPICS.payment}, then the consumer`);
    await loadBacklog(infra.kafka.brokers, ns + TOPICS.payment, n);
    await ledger.start();
    const result = await withDb(url, async (c) => {
      // Consumption starts as the process joins its group: count from what was done by then.
      const before = await scrape(ledger.url);
      const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM inbox_event');
      const from = Number(rows[0]!.n);
      const consumed = await consumeRate(c, n, scale.quick ? 180_000 : 600_000);
      const after = await scrape(ledger.url);
      await ledger.stop();
      const counted = consumed.committed - from;
      const statements = per(before === null || after === null ? null : after - before, counted);
      scale.log('ledger: the same rows as multi-row INSERTs');
      return { consumed, statements, counted, ...(await insertCeiling(c, consumed.committed)) };
    });
    const figure: Figure = {
      path: 'ledger: consume → entries committed',
      value: result.consumed.rate,
      unit: 'events/s',
      baseline: 'multi-row INSERT of the same rows, 100 events/tx',
      baselineValue: result.rate,
      goal: '≥ 2,500 events/s and ≥ 50 % of the ceiling',
      note: `${n} events backlogged${result.consumed.committed < n ? `, ${result.consumed.committed} committed in the time limit` : ''}; rows per event: ${result.shape}`,
    };
    const statements: Figure = {
      path: 'ledger: statements per event',
      value: result.statements,
      unit: 'statements/event',
      baseline: null,
      baselineValue: null,
      goal: 'printed (set-based: a few per batch)',
      note: `the ledger's db_statements_total (BEGIN/COMMIT included) over the ${result.counted} events consumed after it was ready`,
    };
    return [figure, statements, ...(await pgbenchFigures(url, scale))];
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${ledger.logTail()}`);
  } finally {
    await ledger.stop();
    await dropDatabases(infra.pg.adminUrl, [url]);
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

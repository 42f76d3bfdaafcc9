// Scale-out as the ledger stands today (issue #14): two pledge-ledger processes in one consumer
// group on one database, a payment topic of 4 partitions, a few hundred payment facts (refunds,
// disputes, redelivered duplicates) over many donations, and one of the two SIGKILLed while it
// works through a batch, so Kafka moves its partitions to the other. Then what finance checks:
// every fact posted exactly once, fund totals exactly the generated sums, the hash chain intact,
// nothing parked or dead-lettered, and both processes did part of the work.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dlqTopic, TOPICS } from '@bfi/events';
import { generateApiKey, hashApiKey } from '@bfi/http';
import { KafkaTransport } from '@bfi/messaging';
import { createLogger } from '@bfi/platform';
import { ServiceProcess } from '@bfi/suite';
import { tapTopic, type Tap } from '@bfi/testing';
import {
  call,
  freePort,
  infraFromEnv,
  holdChainHead,
  paymentBacklog,
  printSummary,
  scrapeCounter,
  until,
  withClient,
  type FundCurrencyTotals,
  type PaymentBacklog,
} from '../src';

const PARTITIONS = 4;
const ns = `e2e${randomUUID().slice(0, 8)}.`;
const paymentTopic = ns + TOPICS.payment;
const group = `${ns}pledge-ledger`;
const financeKey = generateApiKey();
const infra = infraFromEnv();
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-e2e-scale-out-'));
let dbUrl: string;
let transport: KafkaTransport;
let ledgerTap: Tap;
let ledgers: [ServiceProcess, ServiceProcess];
let failed = false;

beforeAll(async () => {
  dbUrl = await infra.pg.createDatabase(`e2e_scale_out_${randomUUID().slice(0, 6)}`);
  const logger = createLogger('e2e-scale-out');
  logger.level = 'error';
  // The topic exists before the ledgers start, with more partitions than the services' default
  // (3), so each of the two members owns two of them.
  transport = new KafkaTransport({
    brokers: [infra.kafka.brokers],
    clientId: 'e2e-scale-out',
    logger,
    partitions: PARTITIONS,
  });
  await transport.ensureTopics([paymentTopic, dlqTopic(paymentTopic), ns + TOPICS.ledger]);
  ledgerTap = await tapTopic(transport, ns + TOPICS.ledger);
  const env = {
    KAFKA_BROKERS: infra.kafka.brokers,
    TOPIC_NAMESPACE: ns,
    DATABASE_URL: dbUrl,
    API_KEYS: JSON.stringify([
      { id: 'e2e-finance', name: 'E2E finance', role: 'finance', sha256: hashApiKey(financeKey) },
    ]),
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'true',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  // Each process names its database sessions, so the test can see which one is blocked where.
  const spawn = async (name: string) =>
    new ServiceProcess(
      'pledge-ledger',
      await freePort(),
      { ...env, DATABASE_URL: `${dbUrl}?application_name=${name}` },
      path.join(logDir, `${name}.log`),
    );
  ledgers = [await spawn('ledger-a'), await spawn('ledger-b')];
  // One after the other: both run the migrations on start, and the second join is the rebalance
  // that splits the partitions between them.
  await ledgers[0].start();
  await ledgers[1].start();
});

afterAll(async () => {
  await Promise.all((ledgers ?? []).map((l) => l.stop()));
  await ledgerTap?.stop().catch(() => undefined);
  await transport?.close().catch(() => undefined);
  if (failed || process.env.E2E_KEEP_LOGS) {
    process.stderr.write(`e2e: ledger logs kept in ${logDir}\n`);
  } else {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
});

const consumed = (s: ServiceProcess, outcome: string) =>
  scrapeCounter(s, 'messaging_events_consumed_total', `outcome="${outcome}"`);

const rows = <T>(sql: string, params: unknown[] = []) =>
  withClient(dbUrl, async (c) => (await c.query(sql, params)).rows as T[]);

async function inboxCount(): Promise<number> {
  const [r] = await rows<{ n: string }>(
    'SELECT count(*) AS n FROM inbox_event WHERE consumer = $1',
    [group],
  );
  return Number(r?.n);
}

/** Publishes a slice of the backlog as payment's relay does (one sendBatch per 50 rows). */
async function publish(backlog: PaymentBacklog, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 50) {
    await transport.send(backlog.messages.slice(i, Math.min(i + 50, to)));
  }
}

test('two ledgers in one group, one SIGKILLed mid-batch: every fact posted once, totals exact, chain intact', async () => {
  const backlog = paymentBacklog(ns, { donations: 260, duplicateRate: 0.12, seed: 14 });
  const [a, b] = ledgers;
  const n = backlog.messages.length;
  const cut1 = Math.floor(n * 0.3);
  const cut2 = Math.floor(n * 0.6);

  // 1. Both members consume: each handles events of the partitions it owns.
  await publish(backlog, 0, cut1);
  await until(
    async () => (await consumed(a, 'processed')) > 0 && (await consumed(b, 'processed')) > 0,
    'both ledgers processing events',
    60_000,
  );
  await until(async () => (await inboxCount()) > 0.2 * backlog.eventIds.size, 'phase 1', 60_000);

  // 2. A is killed in the middle of a batch transaction: the test holds the chain head, so
  //    every writer blocks at it inside its batch (inbox rows written, entries not), and A is
  //    SIGKILLed once its transaction waits there. Its uncommitted batch must reach B.
  const aProcessed = await consumed(a, 'processed');
  const head = await holdChainHead(dbUrl);
  let waiting = 0;
  try {
    await publish(backlog, cut1, cut2);
    await until(
      async () => (waiting = await head.waiting('ledger-a')) > 0,
      'ledger A blocked mid-batch at the chain head',
      60_000,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(await head.activity())}`);
    });
    await a.kill('SIGKILL');
  } finally {
    await head.release();
  }
  const atKill = await inboxCount();

  // 3. The rest arrives while A is dead: after its session times out, B owns all 4 partitions.
  await publish(backlog, cut2, n);
  let inbox = 0;
  await until(
    async () => (inbox = await inboxCount()) >= backlog.eventIds.size,
    'every event in the inbox',
    100_000,
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${inbox} of ${backlog.eventIds.size} events consumed`);
  });
  await until(
    async () => (await transport.lag(group, [paymentTopic])) === 0,
    'the group committed to the end of every partition',
    30_000,
  );

  const figures = await ledgerFigures();
  const bProcessed = await consumed(b, 'processed');
  const bDuplicates = await consumed(b, 'duplicate');
  printSummary('ledger-scale-out', {
    messages: n,
    distinctEvents: backlog.eventIds.size,
    duplicatesPublished: backlog.duplicates,
    donations: backlog.donations,
    aProcessedBeforeKill: aProcessed,
    aSessionsBlockedWhenKilled: waiting,
    inboxAtKill: atKill,
    bProcessed,
    bDuplicatesDeduped: bDuplicates,
    ...figures.summary,
  });
  try {
    expect(aProcessed).toBeGreaterThan(0);
    expect(bProcessed).toBeGreaterThan(0);
    // Every event id handled once; nothing else in the inbox.
    expect(figures.inboxIds).toEqual(backlog.eventIds);
    // Every fact posted exactly once: each expected idempotency key, once, and no other entry.
    expect(figures.entryKeys).toHaveLength(figures.distinctKeys);
    expect(new Set(figures.entryKeys)).toEqual(backlog.entryKeys);
    expect(figures.donationEntries).toBe(backlog.donations);
    expect(figures.totals).toEqual(Object.fromEntries(backlog.totals));
    expect(figures.audit).toEqual({ ok: true, checked: figures.entryKeys.length });
    expect(figures.unbalanced).toBe(0);
    expect(figures.parked).toBe(0);
    expect(figures.paymentDlq).toBe(0);
    // Downstream too: every ledger event the two wrote is on ledger.events, none missing.
    expect(figures.ledgerOutboxUnsent).toBe(0);
    expect(figures.ledgerEventsOnTopic).toEqual(figures.ledgerOutboxIds);
  } catch (err) {
    failed = true;
    throw err;
  }
}, 180_000);

/** What finance looks at, from the ledger's API (served by B) and SQL on its database. */
async function ledgerFigures() {
  const [b] = [ledgers[1]];
  const keys = await rows<{ k: string }>('SELECT idempotency_key AS k FROM journal_entry');
  const [counts] = await rows<{ donations: string; unbalanced: string; parked: string }>(
    `SELECT (SELECT count(*) FROM journal_entry WHERE kind = 'donation') AS donations,
            (SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id, currency
                                   HAVING sum(amount_minor) <> 0) x) AS unbalanced,
            (SELECT count(*) FROM parked_event) AS parked`,
  );
  const inbox = await rows<{ id: string }>(
    'SELECT event_id::text AS id FROM inbox_event WHERE consumer = $1',
    [group],
  );
  const outbox = await rows<{ id: string; sent: boolean }>(
    'SELECT id::text AS id, sent_at IS NOT NULL AS sent FROM outbox_event WHERE topic = $1',
    [ns + TOPICS.ledger],
  );
  await until(
    () => new Set(ledgerTap.messages.map((m) => m.headers['ce-id'])).size >= outbox.length,
    'the ledger events on their topic',
    30_000,
  );
  const audit = await call<{ ok: boolean; checked: number }>(`${b.url}/audit/verify`, {
    key: financeKey,
  });
  const totals: Record<string, FundCurrencyTotals> = {};
  for (const fund of ['specialist-training', 'general']) {
    const reply = await call<{ rows: (FundCurrencyTotals & { currency: string })[] }>(
      `${b.url}/funds/${fund}/totals`,
      { key: financeKey },
    );
    for (const { currency, gross, fees, refunds, disputesLost, net, count } of reply.body?.rows ??
      []) {
      totals[`${fund} ${currency}`] = { gross, fees, refunds, disputesLost, net, count };
    }
  }
  const dlq = await transport.readAll([dlqTopic(paymentTopic)]);
  const entryKeys = keys.map((r) => r.k);
  return {
    entryKeys,
    distinctKeys: new Set(entryKeys).size,
    donationEntries: Number(counts?.donations),
    unbalanced: Number(counts?.unbalanced),
    parked: Number(counts?.parked),
    inboxIds: new Set(inbox.map((r) => r.id)),
    totals,
    audit: { ok: audit.body?.ok, checked: audit.body?.checked },
    paymentDlq: dlq.length,
    ledgerOutboxUnsent: outbox.filter((r) => !r.sent).length,
    ledgerOutboxIds: new Set(outbox.map((r) => r.id)),
    ledgerEventsOnTopic: new Set(ledgerTap.messages.map((m) => m.headers['ce-id'])),
    summary: {
      entries: entryKeys.length,
      audit: audit.body,
      ledgerEvents: outbox.length,
      ledgerMessagesOnTopic: ledgerTap.messages.length,
    },
  };
}

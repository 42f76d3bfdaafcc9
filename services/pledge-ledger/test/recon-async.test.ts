import type { TestDatabase } from '@bfi/db';
import { InProcessTransport } from '@bfi/messaging';
import { eventually, testLogger } from '@bfi/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, FINANCE_KEY, openDb } from './helpers';

// A finance user starts a long reconciliation from a page: the request answers at once (202) and
// the run shows its phase and progress until it completes; a run whose process died says so.

const finance = { authorization: `Bearer ${FINANCE_KEY}` };
let database: TestDatabase;
let db: Db;
let app: ReturnType<typeof createPledgeLedgerService>['app'];

const HEADER =
  'balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description';
const lines = Array.from(
  { length: 30 },
  (_, i) =>
    `txn_a${i},2025-06-0${1 + (i % 9)} 10:00:00,,byn,10.00,0.50,9.50,charge,ch_a${i},Donation`,
);

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_recon_async'));
  app = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys },
  }).app;
  await request(app)
    .post('/statements/upload?format=stripe-balance&filename=june.csv')
    .set(finance)
    .set('content-type', 'text/csv')
    .send([HEADER, ...lines].join('\n') + '\n')
    .expect(200);
});

afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const june = { from: '2025-06-01', to: '2025-07-01' };

test('Prefer: respond-async answers 202 at once; the run shows its progress, then its result', async () => {
  // Hold the run before it can store its lines, to look at it while it is running.
  const blocker = new Client({ connectionString: database.url });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE reconciliation_line IN ACCESS EXCLUSIVE MODE');
  try {
    const started = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .set('prefer', 'respond-async')
      .send(june)
      .expect(202);
    expect(started.headers['preference-applied']).toBe('respond-async');
    expect(started.headers.location).toBe(`/reconciliation/runs/${started.body.id}`);
    expect(started.body).toMatchObject({ status: 'running', summary: null, finishedAt: null });

    const running = await eventually(async () => {
      const res = await request(app).get(started.headers.location!).set(finance).expect(200);
      expect(res.body.status).toBe('running');
      expect(res.body.progress).toMatchObject({ phase: 'payouts', processed: 30, total: 30 });
      return res.body;
    });
    expect(Date.parse(running.progress.updatedAt)).not.toBeNaN();
    const early = await request(app).get(`${started.headers.location}/lines.csv`).set(finance);
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/still running \(payouts, 30 keys classified\)/);

    await blocker.query('COMMIT');
    const done = await eventually(async () => {
      const res = await request(app).get(started.headers.location!).set(finance).expect(200);
      expect(res.body.status).toBe('completed');
      return res.body;
    });
    expect(done.progress).toBeNull();
    expect(done.summary).toMatchObject({ lines: 30, discrepancies: 30 });
    expect(done.summary.counts).toMatchObject({ 'missing-in-ledger': 30 });

    // The same period without the preference waits and answers with the same result.
    const sync = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send(june)
      .expect(201);
    expect(sync.body.summary).toEqual(done.summary);
  } finally {
    await blocker.end();
  }
});

test('a run left "running" by a process that died is reported failed, with what to do', async () => {
  const id = randomUUID();
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, started_at)
     VALUES ($1::uuid, '2025-06-01', '2025-07-01', 'running', now() - interval '5 minutes')`,
    id,
  );
  const res = await request(app).get(`/reconciliation/runs/${id}`).set(finance).expect(200);
  expect(res.body).toMatchObject({ id, status: 'failed', progress: null });
  expect(res.body.error).toMatch(/interrupted: .* start the run again/);
  expect(res.body.finishedAt).not.toBeNull();
  const stored = await db.reconciliationRun.findUniqueOrThrow({ where: { id } });
  expect(stored.status).toBe('failed');

  // A run that just started (its transaction may still wait for a connection) is left alone.
  const young = randomUUID();
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status)
     VALUES ($1::uuid, '2025-06-01', '2025-07-01', 'running')`,
    young,
  );
  const fresh = await request(app).get(`/reconciliation/runs/${young}`).set(finance).expect(200);
  expect(fresh.body.status).toBe('running');

  // The list tells the same, also for a dead run nobody opened yet.
  const unseen = randomUUID();
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, started_at)
     VALUES ($1::uuid, '2025-06-01', '2025-07-01', 'running', now() - interval '2 minutes')`,
    unseen,
  );
  const list = await request(app).get('/reconciliation/runs').set(finance).expect(200);
  const statusOf = (runId: string) =>
    list.body.runs.find((r: { id: string }) => r.id === runId)?.status;
  expect([statusOf(id), statusOf(young), statusOf(unseen)]).toEqual([
    'failed',
    'running',
    'failed',
  ]);
});

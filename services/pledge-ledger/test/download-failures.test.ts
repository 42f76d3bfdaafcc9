import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import type { TestDatabase } from '@bfi/db';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import type { Db } from '../src/db/client';
import { FINANCE_KEY, openDb } from './helpers';
import { startLedgerProcess, type LedgerProcess } from './ledger-process';

// One request must never stop the process: bad dates, a database error before or during an
// export, a client that cancels a report. The service runs as its own OS process here, so a
// crash shows as a process that no longer answers.

const ENTRIES = 50_000;
let database: TestDatabase;
let db: Db;
let ledger: LedgerProcess;
let runId: string;
const auth = { authorization: `Bearer ${FINANCE_KEY}` };

/** ENTRIES donation entries (2 lines each) in 2025, and a completed run of 3,000 discrepancies. */
async function seed(): Promise<void> {
  await db.$transaction(
    async (tx) => {
      // Triggers off for the load only: these entries balance by construction; the hash chain is
      // not what this test is about.
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await tx.$executeRawUnsafe(
        `INSERT INTO journal_entry (id, seq, kind, idempotency_key, fund, channel, provider, provider_ref, description,
                                  occurred_at, prev_hash, hash)
       SELECT gen_random_uuid(), g, 'donation', 'donation:dl-' || g, 'specialist-training', 'online', 'stripe',
              'ch_dl' || g, 'Donation', timestamptz '2025-01-01' + g * interval '1 minute',
              md5(g::text) || md5(g::text), md5((g + 1)::text) || md5(g::text)
       FROM generate_series(1, $1::int) g`,
        ENTRIES,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor)
       SELECT id, 1, 'clearing:stripe:BYN', 'clearing', NULL, 'BYN', 2500 FROM journal_entry
       UNION ALL
       SELECT id, 2, 'fund:specialist-training:BYN', 'fund', 'specialist-training', 'BYN', -2500 FROM journal_entry`,
      );
    },
    { timeout: 120_000 },
  );
  runId = randomUUID();
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, summary, finished_at)
     VALUES ($1::uuid, '2025-01-01', '2025-02-01', 'completed', '{"lines":3000,"discrepancies":3000,"counts":{}}', now())`,
    runId,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_line (run_id, line_no, provider, type, ref, status, statement_currency,
       statement_gross, ledger_currency, ledger_gross, detail)
     SELECT $1::uuid, g, 'stripe', 'payment', 'ch_r' || g, 'amount-mismatch', 'BYN', 1100, 'BYN', 1000, 'differs'
     FROM generate_series(1, 3000) g`,
    runId,
  );
}

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_downloads'));
  await seed();
  ledger = await startLedgerProcess(database.url);
}, 120_000);

// Each test on a running process, so each shows on its own whether its request stops it.
beforeEach(async () => {
  if (ledger.exitCode() !== null) ledger = await startLedgerProcess(database.url);
}, 120_000);

afterAll(async () => {
  await ledger?.stop();
  await db.$disconnect();
  await database.drop();
});

const get = (path: string) => fetch(`${ledger.url}${path}`, { headers: auth });

/** A download read by hand: paused or cut at will. */
function open(path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(`${ledger.url}${path}`, { headers: auth }, resolve).on('error', reject);
  });
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${ledger.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Holds an exclusive lock on the journal, waits until the ledger's next export query waits for
 * it, and terminates that backend (what a failover or an operator's kill does mid-query).
 */
async function killNextJournalQuery(start: () => void): Promise<void> {
  const locker = new Client({ connectionString: database.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE journal_entry IN ACCESS EXCLUSIVE MODE');
    start();
    const pid = await until('an export query waiting for the lock', async () => {
      await locker.query('SELECT pg_stat_clear_snapshot()'); // fresh activity, not this transaction's snapshot
      const { rows } = await locker.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      return rows[0]?.pid;
    });
    await locker.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
}

describe('exports end only their own request', () => {
  it('refuses dates the database cannot hold with a 400, and keeps serving', async () => {
    for (const path of [
      '/exports/journal.csv?from=0000-01-01',
      '/exports/fund-totals.csv?from=0000-01-01',
      '/exports/journal.csv?to=2025-02-30',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(((await res.json()) as { detail: string }).detail).toMatch(
        /outside the dates|not a day of the calendar/,
      );
    }
    expect((await fetch(`${ledger.url}/healthz`)).status).toBe(200);
  });

  it('answers problem+json when the database fails before the first byte', async () => {
    let answer: Promise<Response> | undefined;
    await killNextJournalQuery(() => (answer = get('/exports/journal.csv?from=2025-01-01')));
    const res = await answer!;
    // A connection the server ended is the database's temporary state: 503 with Retry-After
    // (@bfi/http's databaseProblem), so the client retries.
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await get('/exports/journal.csv?from=2025-01-01&to=2025-01-01T01:00:00Z')).status).toBe(
      200,
    );
  });

  it('cuts the download when the database fails halfway, and answers the next request', async () => {
    const res = await open('/exports/journal.csv');
    expect(res.statusCode).toBe(200);
    let received = '';
    res.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      res.once('data', (c: string) => {
        received += c;
        res.pause(); // a slow reader: the export waits for it
        resolve();
      }),
    );
    res.on('data', (c: string) => (received += c));
    res.on('error', () => undefined); // "aborted": what this test expects the client to see
    const closed = new Promise((resolve) => res.once('close', resolve));
    await killNextJournalQuery(() => res.resume());
    await closed;
    // The client can tell: the response ended without its last chunk, far short of the data.
    expect(res.complete).toBe(false);
    expect(received.split('\n').length).toBeLessThan(ENTRIES * 2);

    const next = await get('/exports/journal.csv?from=2025-01-01&to=2025-01-01T01:00:00Z');
    expect(next.status).toBe(200);
    expect(parse(await next.text(), { columns: true })).toHaveLength(2 * 59);
    expect(await metric('http_download_failures_total', 'reason="source-error"')).toBe(1);
    expect(ledger.log()).toMatch(/download failed after it started/);
    expect(ledger.exitCode()).toBeNull();
  });
});

describe('report.pdf downloads', () => {
  it('stops rendering when the client cancels, and keeps serving health and the next report', async () => {
    const res = await open(`/reconciliation/runs/${runId}/report.pdf`);
    expect(res.statusCode).toBe(200);
    await once(res, 'data');
    res.destroy();
    await until('the cancelled download to be noticed', async () =>
      /download stopped: the client went away/.test(ledger.log()) ? true : undefined,
    );
    expect(await metric('http_download_failures_total', 'reason="client-gone"')).toBe(1);
    expect((await fetch(`${ledger.url}/healthz`)).status).toBe(200);

    const again = await get(`/reconciliation/runs/${runId}/report.pdf`);
    expect(again.status).toBe(200);
    const pdf = Buffer.from(await again.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    expect(await metric('process_unhandled_errors_total', '')).toBe(0);
    expect(ledger.exitCode()).toBeNull();
  });
});

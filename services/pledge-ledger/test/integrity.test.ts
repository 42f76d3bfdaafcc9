import { randomUUID } from 'node:crypto';
import { expectNoDrift, type TestDatabase } from '@bfi/db';
import { testLogger } from '@bfi/testing';
import { Client } from 'pg';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { appendEntries } from '../src/ledger/db/journal-repo';
import {
  donationPosting,
  feePosting,
  refundPosting,
  type DonationContext,
} from '../src/ledger/domain';
import { InProcessTransport } from '@bfi/messaging';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, FINANCE_KEY, money, openDb, serviceDir } from './helpers';

// The database itself refuses unbalanced and edited entries; the hash chain finds tampering
// done around those guards (a superuser disabling triggers).

let database: TestDatabase;
let db: Db;
let sql: Client;

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_integrity'));
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql.end();
  await db.$disconnect();
  await database.drop();
});

const ctx = (): DonationContext => ({
  donationId: randomUUID(),
  fund: 'specialist-training',
  channel: 'online',
  officeId: null,
  provider: 'stripe',
  providerRef: 'ch_1',
  occurredAt: '2025-03-01T10:00:00.000Z',
});

async function post(drafts = [donationPosting(ctx(), money(5000))]) {
  return db.$transaction((tx) => appendEntries(tx, drafts, null));
}

async function insertEntry(client: Client, id: string, seq: number): Promise<void> {
  await client.query(
    `INSERT INTO journal_entry (id, seq, kind, idempotency_key, description, occurred_at, prev_hash, hash)
     VALUES ($1, $2, 'correction', $3, 'hand-written', now(), repeat('0', 64), repeat('a', 63) || $4)`,
    [id, seq, `manual:${id}`, String(seq % 10)],
  );
}

it('migrations match schema.prisma (triggers and CHECKs are hand-written and tested below)', async () => {
  await expectNoDrift(serviceDir);
});

describe('balance is enforced by the database at commit', () => {
  it('refuses an entry whose lines do not sum to zero, written directly in SQL', async () => {
    const id = randomUUID();
    await sql.query('BEGIN');
    await insertEntry(sql, id, 900001);
    await sql.query(
      `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor) VALUES
         ($1, 1, 'clearing:stripe:BYN', 'clearing', NULL, 'BYN', 5000),
         ($1, 2, 'fund:specialist-training:BYN', 'fund', 'specialist-training', 'BYN', -4999)`,
      [id],
    );
    await expect(sql.query('COMMIT')).rejects.toThrow(
      /does not balance in BYN: debits minus credits = 1 minor units/,
    );
    const { rows } = await sql.query('SELECT 1 FROM journal_entry WHERE id = $1', [id]);
    expect(rows).toHaveLength(0);
  });

  it('refuses an entry that balances in total but not per currency', async () => {
    const id = randomUUID();
    await sql.query('BEGIN');
    await insertEntry(sql, id, 900002);
    await sql.query(
      `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor) VALUES
         ($1, 1, 'clearing:stripe:BYN', 'clearing', NULL, 'BYN', 100),
         ($1, 2, 'fund:general:USD', 'fund', 'general', 'USD', -100)`,
      [id],
    );
    await expect(sql.query('COMMIT')).rejects.toThrow(/does not balance in (BYN|USD)/);
  });

  it('refuses an entry with no lines or a single line', async () => {
    const id = randomUUID();
    await sql.query('BEGIN');
    await insertEntry(sql, id, 900003);
    await expect(sql.query('COMMIT')).rejects.toThrow(
      /has 0 line\(s\); a journal entry needs at least 2 lines/,
    );
  });

  it('accepts a balanced entry written in SQL, checked only at commit (deferred)', async () => {
    const id = randomUUID();
    await sql.query('BEGIN');
    await insertEntry(sql, id, 900004);
    // Between statements the entry is unbalanced; only the committed state counts.
    await sql.query(
      `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor)
       VALUES ($1, 1, 'bank:BYN', 'bank', NULL, 'BYN', 700)`,
      [id],
    );
    await sql.query(
      `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor)
       VALUES ($1, 2, 'clearing:stripe:BYN', 'clearing', NULL, 'BYN', -700)`,
      [id],
    );
    await sql.query('COMMIT');
    const { rows } = await sql.query(
      'SELECT count(*)::int AS n FROM journal_line WHERE entry_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(2);
    // Remove it from the chain's view: it was written around the chain on purpose. (It cannot be
    // deleted — that is the point — so this test runs on its own seq far from the app's entries.)
  });
});

describe('entries are append-only', () => {
  it('refuses UPDATE and DELETE of entries and lines, and TRUNCATE', async () => {
    const [entry] = await post();
    await expect(
      sql.query(`UPDATE journal_line SET amount_minor = 1 WHERE entry_id = $1`, [entry!.id]),
    ).rejects.toThrow(
      /append-only: UPDATE on journal_line is not allowed; post a correcting entry instead/,
    );
    await expect(
      sql.query(`UPDATE journal_entry SET description = 'x' WHERE id = $1`, [entry!.id]),
    ).rejects.toThrow(/append-only: UPDATE on journal_entry/);
    await expect(
      sql.query(`DELETE FROM journal_line WHERE entry_id = $1`, [entry!.id]),
    ).rejects.toThrow(/append-only: DELETE/);
    await expect(sql.query(`DELETE FROM journal_entry WHERE id = $1`, [entry!.id])).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(sql.query(`TRUNCATE journal_line`)).rejects.toThrow(/append-only: TRUNCATE/);
    const { rows } = await sql.query(
      'SELECT sum(amount_minor)::int AS s, count(*)::int AS n FROM journal_line WHERE entry_id = $1',
      [entry!.id],
    );
    expect(rows[0]).toEqual({ s: 0, n: 2 });
  });
});

describe('hash chain', () => {
  // A separate database: the hand-written rows above sit outside the chain on purpose.
  let chainDb: { database: TestDatabase; db: Db };
  let app: ReturnType<typeof createPledgeLedgerService>['app'];

  beforeAll(async () => {
    chainDb = await openDb('ledger_chain');
    app = createPledgeLedgerService({
      db: chainDb.db,
      transport: new InProcessTransport({ logger: testLogger }),
      logger: testLogger,
      config: { apiKeys },
    }).app;
  });

  afterAll(async () => {
    await chainDb.db.$disconnect();
    await chainDb.database.drop();
  });

  const verify = () =>
    request(app).get('/audit/verify').set('authorization', `Bearer ${FINANCE_KEY}`);

  it('links every entry to the previous one and /audit/verify finds the first changed entry', async () => {
    const c = ctx();
    for (const drafts of [
      [donationPosting(c, money(10000)), feePosting(c, money(290), 'specialist-training')],
      [refundPosting(c, 're_1', money(2500))],
      [donationPosting(ctx(), money(777, 'USD'))],
    ]) {
      await chainDb.db.$transaction((tx) => appendEntries(tx, drafts, null));
    }
    const entries = await chainDb.db.journalEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(entries.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4]);
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    entries.slice(1).forEach((e, i) => expect(e.prevHash).toBe(entries[i]!.hash));

    const clean = await verify().expect(200);
    expect(clean.body).toMatchObject({
      ok: true,
      checked: 4,
      firstBreak: null,
      head: { seq: 4, hash: entries[3]!.hash },
    });

    // Tamper as a superuser would: switch the triggers off and change the refund's amount on
    // both lines (so the entry still balances and only the hash chain can tell).
    const admin = new Client({ connectionString: chainDb.database.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query("SET LOCAL session_replication_role = 'replica'"); // disables the triggers
      await admin.query(
        `UPDATE journal_line SET amount_minor = amount_minor / 10 WHERE entry_id = $1`,
        [entries[2]!.id],
      );
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }

    const broken = await verify().expect(200);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.checked).toBe(2);
    expect(broken.body.firstBreak).toMatchObject({
      seq: 3,
      entryId: entries[2]!.id,
      problem: 'hash-mismatch',
    });
    expect(broken.body.firstBreak.detail).toMatch(/the entry was changed/);
  });
});

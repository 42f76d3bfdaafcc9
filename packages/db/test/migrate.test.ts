import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations } from '../src/migrate';
import { createTestDatabase, type TestDatabase } from '../src/test-db';
import { copyFixture, SVC, SVC_MIGRATIONS } from './helpers';

const fixtureNames = readdirSync(SVC_MIGRATIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

async function query<T extends object>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function addMigration(migrationsDir: string, name: string, sql: string): void {
  mkdirSync(path.join(migrationsDir, name));
  writeFileSync(path.join(migrationsDir, name, 'migration.sql'), sql);
}

describe('applyMigrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase({ prefix: 'bfi_db_migrate' });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('applies every migration once, records them as Prisma does, and is idempotent', async () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(2);
    await expect(applyMigrations(db.url, SVC_MIGRATIONS)).resolves.toEqual({
      applied: fixtureNames,
    });
    await expect(applyMigrations(db.url, SVC_MIGRATIONS)).resolves.toEqual({ applied: [] });

    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      started_at: Date;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
    }>(db.url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((row) => row.migration_name)).toEqual(fixtureNames);
    for (const row of rows) {
      const file = readFileSync(path.join(SVC_MIGRATIONS, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await query<{ tablename: string }>(
      db.url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.map((t) => t.tablename)).toEqual(['_prisma_migrations', 'accounts', 'entries']);
  });

  it("creates _prisma_migrations with exactly Prisma's columns", async () => {
    await applyMigrations(db.url, SVC_MIGRATIONS);
    const columns = await query(
      db.url,
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      {
        column_name: 'id',
        data_type: 'character varying',
        len: 36,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'checksum',
        data_type: 'character varying',
        len: 64,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        len: 255,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'logs',
        data_type: 'text',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'NO',
        column_default: 'now()',
      },
      {
        column_name: 'applied_steps_count',
        data_type: 'integer',
        len: null,
        is_nullable: 'NO',
        column_default: '0',
      },
    ]);
    const pk = await query(
      db.url,
      "SELECT conname FROM pg_constraint WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'",
    );
    expect(pk).toEqual([{ conname: '_prisma_migrations_pkey' }]);
  });

  it('runs plpgsql with $$ bodies (the fixture trigger makes entries append-only)', async () => {
    await applyMigrations(db.url, SVC_MIGRATIONS);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>(
        "INSERT INTO accounts (id, email) VALUES (gen_random_uuid(), 'a@x') RETURNING id",
      );
      await client.query('INSERT INTO entries (account_id, amount_minor) VALUES ($1, 500)', [
        rows[0]!.id,
      ]);
      await expect(client.query('UPDATE entries SET amount_minor = 1')).rejects.toThrow(
        /append-only \(UPDATE refused\)/,
      );
      await expect(
        client.query('INSERT INTO entries (account_id, amount_minor) VALUES ($1, 0)', [
          rows[0]!.id,
        ]),
      ).rejects.toThrow(/entries_amount_nonzero/);
    } finally {
      await client.end();
    }
  });

  it('sends each file as one query, so semicolons inside $$ bodies survive', async () => {
    const scratch = copyFixture(SVC);
    try {
      const dir = path.join(scratch.dir, 'src', 'db', 'migrations');
      addMigration(
        dir,
        '29990101000000_fn',
        `CREATE FUNCTION twice(x int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE y int;
BEGIN
  y := x * 2;
  RETURN y;
END;
$$;
CREATE TABLE after_fn (v int DEFAULT twice(21));`,
      );
      const { applied } = await applyMigrations(db.url, dir);
      expect(applied.at(-1)).toBe('29990101000000_fn');
      await expect(query(db.url, 'SELECT twice(4) AS v')).resolves.toEqual([{ v: 8 }]);
    } finally {
      scratch.cleanup();
    }
  });

  it('refuses, before applying anything, when an applied migration was edited', async () => {
    const scratch = copyFixture(SVC);
    try {
      const dir = path.join(scratch.dir, 'src', 'db', 'migrations');
      await applyMigrations(db.url, dir);
      const first = path.join(dir, fixtureNames[0]!, 'migration.sql');
      writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- edited afterwards\n`);
      addMigration(dir, '29990101000000_later', 'CREATE TABLE later (id int);');

      await expect(applyMigrations(db.url, dir)).rejects.toThrow(
        new RegExp(
          `migrations ${fixtureNames[0]} were changed after being applied.*checksum mismatch`,
        ),
      );
      const later = await query(db.url, "SELECT to_regclass('public.later') AS t");
      expect(later).toEqual([{ t: null }]);
    } finally {
      scratch.cleanup();
    }
  });

  it('rolls a failing migration back completely and records nothing for it', async () => {
    const scratch = copyFixture(SVC);
    try {
      const dir = path.join(scratch.dir, 'src', 'db', 'migrations');
      addMigration(
        dir,
        '29990101000000_broken',
        'CREATE TABLE half_done (id int);\nSELECT no_such_function();',
      );
      await expect(applyMigrations(db.url, dir)).rejects.toThrow(
        /migration 29990101000000_broken failed and was rolled back: .*no_such_function/,
      );
      await expect(query(db.url, "SELECT to_regclass('public.half_done') AS t")).resolves.toEqual([
        { t: null },
      ]);
      const names = await query<{ migration_name: string }>(
        db.url,
        'SELECT migration_name FROM _prisma_migrations ORDER BY 1',
      );
      expect(names.map((n) => n.migration_name)).toEqual(fixtureNames);
    } finally {
      scratch.cleanup();
    }
  });

  it('serializes concurrent runners with the advisory lock: each migration is applied once', async () => {
    const results = await Promise.all([
      applyMigrations(db.url, SVC_MIGRATIONS),
      applyMigrations(db.url, SVC_MIGRATIONS),
    ]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(fixtureNames);
    const rows = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(Number(rows[0]!.n)).toBe(fixtureNames.length);
  });
});

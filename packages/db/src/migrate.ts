// Applies Prisma-layout migrations with plain `pg`, recording them in `_prisma_migrations` the way
// Prisma's schema engine does, so `prisma migrate deploy` (where the native engine exists) sees the
// same history. Differences from Prisma, on purpose: each migration runs inside one transaction
// (a failure leaves nothing behind, so no "failed migration" row to resolve by hand), and edited
// migrations are refused instead of ignored.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { checksumMatches, listMigrations, type MigrationFile } from './migration-files';

/** The key Prisma's engine locks with, so our runner and `prisma migrate deploy` exclude each other. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Exactly Prisma's DDL for its history table (prisma-engines, postgres flavour). */
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every migration in `migrationsDir` not yet recorded in the database, in name order.
 * Each file is sent as ONE query (simple protocol, so `$$` bodies and many statements work) inside
 * its own transaction together with its history row. Idempotent; safe to run concurrently.
 * Note: statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY, ...) will fail.
 */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir: string,
): Promise<{ applied: string[] }> {
  const migrations = await listMigrations(migrationsDir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    await client.query(CREATE_HISTORY_TABLE);
    const pending = planPending(migrations, await readHistory(client));
    for (const migration of pending) await applyOne(client, migration);
    return { applied: pending.map((migration) => migration.name) };
  } finally {
    // Ending the session releases the advisory lock too; unlocking first is just tidy.
    await client
      .query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY])
      .catch(() => undefined);
    await client.end();
  }
}

async function readHistory(client: Client): Promise<HistoryRow[]> {
  const result = await client.query<HistoryRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
  );
  return result.rows;
}

/** Refuses on failed or edited migrations before anything runs; returns what is left to apply. */
export function planPending(migrations: MigrationFile[], history: HistoryRow[]): MigrationFile[] {
  const live = history.filter((row) => row.rolled_back_at === null);
  const failed = live.filter((row) => row.finished_at === null).map((row) => row.migration_name);
  if (failed.length > 0) {
    throw new Error(
      `migrations ${failed.join(', ')} started but never finished in this database (a failed ` +
        '`prisma migrate deploy`?); resolve them (e.g. `prisma migrate resolve`) before applying more',
    );
  }
  const appliedChecksums = new Map(live.map((row) => [row.migration_name, row.checksum]));
  const edited = migrations.filter((migration) => {
    const checksum = appliedChecksums.get(migration.name);
    return checksum !== undefined && !checksumMatches(migration.sql, checksum);
  });
  if (edited.length > 0) {
    throw new Error(
      `migrations ${edited.map((m) => m.name).join(', ')} were changed after being applied to this database ` +
        '(checksum mismatch); restore the applied files and put the change in a new migration',
    );
  }
  return migrations.filter((migration) => !appliedChecksums.has(migration.name));
}

async function applyOne(client: Client, migration: MigrationFile): Promise<void> {
  const startedAt = new Date();
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO _prisma_migrations
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${migration.name} failed and was rolled back: ${reason}`, {
      cause: error,
    });
  }
}

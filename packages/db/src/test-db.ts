// Throw-away databases on the local PostgreSQL server, one per test suite (or drift check).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from './migrate';

export const DEFAULT_PG_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  /** Terminates every connection to the database and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

/** The maintenance connection used to create and drop databases (env PG_ADMIN_URL). */
export function adminUrl(): string {
  return process.env.PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL;
}

/** URL of database `name` on the same server, with the same credentials, as the admin URL. */
export function databaseUrlFor(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Creates `<prefix>_<random>` and applies `migrationsDir` to it if given. */
export async function createTestDatabase(opts: {
  prefix: string;
  migrationsDir?: string;
}): Promise<TestDatabase> {
  const name = uniqueName(opts.prefix);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const db: TestDatabase = { name, url: databaseUrlFor(name), drop: () => dropDatabase(name) };
  if (opts.migrationsDir !== undefined) {
    try {
      await applyMigrations(db.url, opts.migrationsDir);
    } catch (error) {
      await db.drop();
      throw error;
    }
  }
  return db;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    // FORCE alone would do on PostgreSQL >= 13; terminating first also covers older servers' pools.
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}

/** Lowercase identifier, at most 63 bytes (PostgreSQL's limit), unique thanks to 48 random bits. */
function uniqueName(prefix: string): string {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .slice(0, 50) || 'test';
  return `${clean}_${randomBytes(6).toString('hex')}`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

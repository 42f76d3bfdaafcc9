// One-line Prisma wiring for services:
//   const prisma = createPrisma(PrismaClient, process.env.DATABASE_URL!);   // from src/db/generated/client
//   ...
//   await prisma.$disconnect();   // closes the adapter's pg pool; do it on shutdown / in afterAll
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Counter, register } from 'prom-client';

export interface PrismaPoolOptions {
  /** Pool size (pg default: 10). */
  max?: number;
  /** How long a query waits for a free pool connection before it fails (ms; pg default: forever). */
  connectionTimeoutMillis?: number;
  /** PostgreSQL schema for generated queries (default: the connection's, i.e. public). */
  schema?: string;
  /**
   * Send statements as named (prepared) statements, named by a hash of their SQL text: each
   * connection parses a statement once, later executions skip parse (and reuse the plan once
   * PostgreSQL finds a generic one good enough). For real PostgreSQL only: the embedded
   * PGlite wire server is one session shared by every connection.
   */
  namedStatements?: boolean;
}

/**
 * A statement's name: the same SQL text always gets the same name (pg refuses one name for two
 * texts). Past `max` distinct texts (e.g. generated queries whose IN lists vary in length) the
 * rest go unnamed, since a connection keeps every statement it prepared until it closes.
 */
export function statementNamer(max = 500): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined || names.size >= max) return known;
    const name = `bfi_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
    return name;
  };
}

/** Any generated `prisma-client` PrismaClient class: its constructor takes `{ adapter }`. */
export type PrismaClientClass<T> = new (options: { adapter: PrismaPg }) => T;

/**
 * Statements sent to PostgreSQL by this process (BEGIN/COMMIT included): what a round trip
 * costs is what the bench divides by events or requests ("statements per ledger event").
 * Registered once per process, in the default registry every service's /metrics serves.
 */
const statements =
  (register.getSingleMetric('db_statements_total') as Counter | undefined) ??
  new Counter({
    name: 'db_statements_total',
    help: 'Statements this process sent to PostgreSQL (each one a round trip)',
  });

/** pg's client with every query counted; the pool makes its connections from it. */
class CountingClient extends pg.Client {
  override query(...args: unknown[]): never {
    statements.inc();
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/** A Prisma client talking to `connectionString` through @prisma/adapter-pg (its own pg pool). */
export function createPrisma<T>(
  PrismaClient: PrismaClientClass<T>,
  connectionString: string,
  options: PrismaPoolOptions = {},
): T {
  const pool: pg.PoolConfig = { connectionString, Client: CountingClient };
  if (options.max !== undefined) pool.max = options.max;
  if (options.connectionTimeoutMillis !== undefined)
    pool.connectionTimeoutMillis = options.connectionTimeoutMillis;
  const adapter = new PrismaPg(pool, {
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    // Typed as always naming; performIO passes the name on as is, and pg sends an undefined one
    // unnamed (node_modules/@prisma/adapter-pg/dist/index.js, PgQueryable.performIO).
    ...(options.namedStatements
      ? { statementNameGenerator: statementNamer() as (query: { sql: string }) => string }
      : {}),
  });
  return new PrismaClient({ adapter });
}

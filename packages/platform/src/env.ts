import { PERSON_TOKEN_ENV, SSE_ENV } from '@bfi/http';
import { z } from 'zod';

export class ConfigError extends Error {}

/** Reads typed configuration from the environment; a missing or bad variable is named plainly. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** A `true`/`false` variable; unset gives `fallback`. */
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true'));

/** The port a process listens on; 0 lets the system pick one (tests). */
export const envPort = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

const postgresUrl = z
  .string({ error: 'DATABASE_URL is required (postgresql://…)' })
  .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgresql:// URL' });

/**
 * The pg pool under Prisma (@prisma/adapter-pg), per process. MAX: connections (pg's default 10;
 * PostgreSQL's max_connections is shared by every replica of every service). TIMEOUT_MS: how
 * long a query waits for a free connection (or for a new one to connect) before it fails — and
 * the request answers 503 + Retry-After (@bfi/http's databaseProblem); pg's default waits
 * forever, so under overload requests piled up behind the pool until clients gave up.
 */
export const DATABASE_POOL_ENV = {
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(2000),
};

/** createPrisma's pool options from the DATABASE_POOL_* variables. */
export function databasePoolFromEnv(e: {
  DATABASE_POOL_MAX: number;
  DATABASE_POOL_TIMEOUT_MS: number;
}): DatabasePool {
  return { max: e.DATABASE_POOL_MAX, connectionTimeoutMillis: e.DATABASE_POOL_TIMEOUT_MS };
}

export interface DatabasePool {
  max: number;
  connectionTimeoutMillis: number;
}

/**
 * The variables every service with a database and a broker reads, spread first into its own
 * schema: `z.object({ ...serviceEnv({ port: 3001 }), QR_SECRET: … })`. One meaning everywhere:
 * MIGRATE_ON_START is a boolean (default true), TOPIC_NAMESPACE a prefix (default none),
 * API_KEYS the JSON array `parseApiKeys` reads, then the person-token and live-stream variables
 * of @bfi/http, and the database pool's size and wait (DATABASE_POOL_*).
 */
export function serviceEnv(defaults: { port: number; databaseUrl?: string }) {
  return {
    PORT: envPort(defaults.port),
    DATABASE_URL: defaults.databaseUrl ? postgresUrl.default(defaults.databaseUrl) : postgresUrl,
    MIGRATE_ON_START: envFlag(true),
    /** Prefix of topic names (test runs, several environments on one cluster). */
    TOPIC_NAMESPACE: z.string().default(''),
    /** JSON array of {id,name,role,officeId?,sha256}; only SHA-256 hashes are configured. */
    API_KEYS: z.string().optional(),
    ...DATABASE_POOL_ENV,
    ...PERSON_TOKEN_ENV,
    ...SSE_ENV,
  };
}

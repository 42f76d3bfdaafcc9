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
 * The variables every service with a database and a broker reads, spread first into its own
 * schema: `z.object({ ...serviceEnv({ port: 3001 }), QR_SECRET: … })`. One meaning everywhere:
 * MIGRATE_ON_START is a boolean (default true), TOPIC_NAMESPACE a prefix (default none),
 * API_KEYS the JSON array `parseApiKeys` reads, then the person-token and live-stream variables
 * of @bfi/http.
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
    ...PERSON_TOKEN_ENV,
    ...SSE_ENV,
  };
}

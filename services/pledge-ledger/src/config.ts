import {
  parseApiKeys,
  personTokensFromEnv,
  sseLimitsFromEnv,
  type ApiKeyRecord,
  type PersonTokenOptions,
  type SseLimits,
} from '@bfi/http';
import { databasePoolFromEnv, loadConfig, serviceEnv, type DatabasePool } from '@bfi/platform';
import { z } from 'zod';

// Finance endpoints need a finance or admin key (API_KEYS) or a finance person's token.
const EnvSchema = z.object({
  ...serviceEnv({ port: 3002, databaseUrl: 'postgresql://postgres@127.0.0.1:5432/pledge_ledger' }),
  /** How often messaging_consumer_lag is refreshed from the broker. */
  LAG_INTERVAL_MS: z.coerce.number().int().positive().default(15000),
  /** How often the campaign SSE stream looks for new entries (only while someone listens). */
  CAMPAIGN_POLL_MS: z.coerce.number().int().positive().default(1000),
  /** How often the outbox relay looks for ledger events to publish. */
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(100),
  /** Statement imports through the stripe SDK (unset: Stripe import answers 503). */
  STRIPE_SECRET_KEY: z.string().optional(),
  /** Where the stripe SDK connects, e.g. http://127.0.0.1:12111 for a local fake (default: Stripe). */
  STRIPE_API_URL: z.url().optional(),
  /** Statement imports through PayPal's Transaction Search (unset: PayPal import answers 503). */
  PAYPAL_CLIENT_ID: z.string().optional(),
  PAYPAL_CLIENT_SECRET: z.string().optional(),
  PAYPAL_BASE_URL: z.url().default('https://api-m.sandbox.paypal.com'),
});

export interface PledgeLedgerConfig {
  port: number;
  databaseUrl: string;
  /** The pg pool under Prisma (DATABASE_POOL_MAX, DATABASE_POOL_TIMEOUT_MS). */
  databasePool: DatabasePool;
  apiKeys: ApiKeyRecord[];
  /** Signed-in people's tokens from the web app (PERSON_TOKEN_*); none: API keys only. */
  personTokens?: PersonTokenOptions;
  migrateOnStart: boolean;
  namespace: string;
  lagIntervalMs: number;
  campaignPollMs: number;
  outboxPollMs: number;
  stripe: { secretKey: string; apiUrl?: string } | null;
  paypal: { clientId: string; clientSecret: string; baseUrl: string } | null;
  /** Caps, maximum age and retry of the campaign stream (SSE_* variables). */
  sse: SseLimits;
}

export function loadPledgeLedgerConfig(env: NodeJS.ProcessEnv = process.env): PledgeLedgerConfig {
  const e = loadConfig(EnvSchema, env);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePool: databasePoolFromEnv(e),
    apiKeys: parseApiKeys(e.API_KEYS),
    personTokens: personTokensFromEnv(e, 'ledger'),
    migrateOnStart: e.MIGRATE_ON_START,
    namespace: e.TOPIC_NAMESPACE,
    lagIntervalMs: e.LAG_INTERVAL_MS,
    campaignPollMs: e.CAMPAIGN_POLL_MS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    sse: sseLimitsFromEnv(e),
    stripe: e.STRIPE_SECRET_KEY
      ? { secretKey: e.STRIPE_SECRET_KEY, apiUrl: e.STRIPE_API_URL }
      : null,
    paypal:
      e.PAYPAL_CLIENT_ID && e.PAYPAL_CLIENT_SECRET
        ? {
            clientId: e.PAYPAL_CLIENT_ID,
            clientSecret: e.PAYPAL_CLIENT_SECRET,
            baseUrl: e.PAYPAL_BASE_URL,
          }
        : null,
  };
}

import { loadConfig, parseApiKeys, type ApiKeyRecord } from '@bfi/http';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  DATABASE_URL: z.string().min(1).default('postgresql://postgres@127.0.0.1:5432/pledge_ledger'),
  /** JSON array of {id,name,role,officeId?,sha256}; finance endpoints need a finance or admin key. */
  API_KEYS: z.string().optional(),
  MIGRATE_ON_START: z.enum(['true', 'false']).default('true'),
  /** Prefix for topic names (several environments on one cluster). */
  TOPIC_NAMESPACE: z.string().default(''),
  /** How often messaging_consumer_lag is refreshed from the broker. */
  LAG_INTERVAL_MS: z.coerce.number().int().positive().default(15000),
  /** How often the campaign SSE stream looks for new entries (only while someone listens). */
  CAMPAIGN_POLL_MS: z.coerce.number().int().positive().default(1000),
  /** How often the outbox relay looks for ledger events to publish. */
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(100),
});

export interface PledgeLedgerConfig {
  port: number;
  databaseUrl: string;
  apiKeys: ApiKeyRecord[];
  migrateOnStart: boolean;
  namespace: string;
  lagIntervalMs: number;
  campaignPollMs: number;
  outboxPollMs: number;
}

export function loadPledgeLedgerConfig(env: NodeJS.ProcessEnv = process.env): PledgeLedgerConfig {
  const e = loadConfig(EnvSchema, env);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    apiKeys: parseApiKeys(e.API_KEYS),
    migrateOnStart: e.MIGRATE_ON_START !== 'false',
    namespace: e.TOPIC_NAMESPACE,
    lagIntervalMs: e.LAG_INTERVAL_MS,
    campaignPollMs: e.CAMPAIGN_POLL_MS,
    outboxPollMs: e.OUTBOX_POLL_MS,
  };
}

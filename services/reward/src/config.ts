// Every environment variable the service reads, in one place.
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
import type { RewardSettings } from './app/context';

const Env = z.object({
  ...serviceEnv({ port: 3003 }),
  PUBLIC_BASE_URL: z.url().optional(),
  DIGITAL_PACK_URL: z
    .string()
    .includes('{code}', { error: 'must contain {code}, replaced by the donor’s one-time code' })
    .default('https://stickers.bullyingfreeinternet.example/packs/{code}'),
  CLAIM_CODE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** The office console warns at or below this many free packs. */
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).max(100000).default(5),
});

export interface RewardServiceConfig {
  apiKeys: ApiKeyRecord[];
  /** Signed-in people's tokens from the web app (PERSON_TOKEN_*); none: API keys only. */
  personTokens?: PersonTokenOptions;
  settings: RewardSettings;
  /** Live-stream caps (office streams); the shared defaults when absent. */
  sse?: SseLimits;
}

export interface RewardMainConfig extends RewardServiceConfig {
  port: number;
  databaseUrl: string;
  /** The pg pool under Prisma (DATABASE_POOL_MAX, DATABASE_POOL_TIMEOUT_MS). */
  databasePool: DatabasePool;
  migrateOnStart: boolean;
  namespace: string;
}

export function loadRewardConfig(env: NodeJS.ProcessEnv = process.env): RewardMainConfig {
  const e = loadConfig(Env, env);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePool: databasePoolFromEnv(e),
    migrateOnStart: e.MIGRATE_ON_START,
    namespace: e.TOPIC_NAMESPACE,
    apiKeys: parseApiKeys(e.API_KEYS),
    personTokens: personTokensFromEnv(e, 'reward'),
    settings: {
      claimCodeTtlDays: e.CLAIM_CODE_TTL_DAYS,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      digitalPackUrl: e.DIGITAL_PACK_URL,
      lowStockThreshold: e.LOW_STOCK_THRESHOLD,
    },
    sse: sseLimitsFromEnv(e),
  };
}

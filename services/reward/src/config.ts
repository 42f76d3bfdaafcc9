// Every environment variable the service reads, in one place.
import {
  loadConfig,
  parseApiKeys,
  PERSON_TOKEN_ENV,
  personTokensFromEnv,
  SSE_ENV,
  sseLimitsFromEnv,
  type ApiKeyRecord,
  type PersonTokenOptions,
  type SseLimits,
} from '@bfi/http';
import { z } from 'zod';
import type { RewardSettings } from './app/context';

const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3003),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, { error: 'must be a postgresql:// URL' }),
  MIGRATE_ON_START: z.enum(['true', 'false']).default('true'),
  API_KEYS: z.string().optional(),
  ...PERSON_TOKEN_ENV,
  TOPIC_NAMESPACE: z.string().default(''),
  PUBLIC_BASE_URL: z.url().optional(),
  DIGITAL_PACK_URL: z
    .string()
    .includes('{code}', { error: 'must contain {code}, replaced by the donor’s one-time code' })
    .default('https://stickers.bullyingfreeinternet.example/packs/{code}'),
  CLAIM_CODE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** The office console warns at or below this many free packs. */
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).max(100000).default(5),
  ...SSE_ENV,
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
  migrateOnStart: boolean;
  namespace: string;
}

export function loadRewardConfig(env: NodeJS.ProcessEnv = process.env): RewardMainConfig {
  const e = loadConfig(Env, env);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    migrateOnStart: e.MIGRATE_ON_START === 'true',
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

export { createRewardService, type RewardService, type RewardServiceDeps } from './service';
export { loadRewardConfig, type RewardMainConfig, type RewardServiceConfig } from './config';
export { PrismaClient, type Db } from './db/client';
export { seedDemo } from './db/seed';
export { CONSUMER_NAME } from './events/ledger-consumer';
export type { RewardSettings } from './app/context';
/** Folder of this service's migrations, for applyMigrations in the embedded start. */
export const REWARD_MIGRATIONS_DIR = `${__dirname}/db/migrations`;

import path from 'node:path';
export { createRewardService, type RewardService, type RewardServiceDeps } from './service';
export { loadRewardConfig, type RewardMainConfig, type RewardServiceConfig } from './config';
export { PrismaClient } from './db/client';
export { seedDemo } from './db/seed';

/**
 * What a runner (services/suite: `npm start`, the e2e tests) needs besides the factory: the
 * service's folder, its migrations and its process entry (run with tsx). Through `../src`, so
 * the paths are the same from src/ (tsx, Jest) and from a bundle in dist/.
 */
export const rewardFiles = {
  dir: path.join(__dirname, '..'),
  migrations: path.join(__dirname, '..', 'src', 'db', 'migrations'),
  main: path.join(__dirname, '..', 'src', 'main.ts'),
};

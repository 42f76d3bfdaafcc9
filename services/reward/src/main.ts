// Standalone process: config from env, then the shared process runner (migrations, Prisma,
// transport, HTTP, graceful shutdown).
import './telemetry';
import { createPrisma } from '@bfi/db';
import { createLogger, runMain, runServiceProcess } from '@bfi/platform';
import { rewardFiles } from '.';
import { loadRewardConfig } from './config';
import { PrismaClient } from './db/client';
import { createRewardService } from './service';

runMain(async () => {
  const logger = createLogger('reward');
  const config = loadRewardConfig();
  await runServiceProcess({
    name: 'reward',
    logger,
    port: config.port,
    databaseUrl: config.databaseUrl,
    migrateOnStart: config.migrateOnStart,
    migrationsDir: rewardFiles.migrations,
    // Named statements: parsed once per connection (docs/ARCHITECTURE.md, set-based decisions).
    // This entry runs on real PostgreSQL only; npm start's PGlite shares one session.
    createDb: (url) =>
      createPrisma(PrismaClient, url, { ...config.databasePool, namedStatements: true }),
    createService: ({ db, transport }) =>
      createRewardService({ db, transport, namespace: config.namespace, logger, config }),
  });
});

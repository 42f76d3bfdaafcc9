// Standalone process: config from env, then the shared process runner (migrations, Prisma,
// transport, HTTP, graceful shutdown).
import './telemetry';
import { createPrisma } from '@bfi/db';
import { runMain, runServiceProcess } from '@bfi/http';
import { createLogger } from '@bfi/messaging';
import path from 'node:path';
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
    // ../src: the same folder from src/main.ts (tsx) and from dist/main.js (the bundle).
    migrationsDir: path.join(__dirname, '..', 'src', 'db', 'migrations'),
    createDb: (url) => createPrisma(PrismaClient, url),
    createService: ({ db, transport }) =>
      createRewardService({ db, transport, namespace: config.namespace, logger, config }),
  });
});

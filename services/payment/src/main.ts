import './telemetry';
import { createPrisma } from '@bfi/db';
import { runMain, runServiceProcess } from '@bfi/http';
import { createLogger } from '@bfi/messaging';
import path from 'node:path';
import { loadPaymentConfig } from './config';
import { PrismaClient } from './db/repository';
import { createPaymentService } from './service';

runMain(async () => {
  const logger = createLogger('payment');
  const config = loadPaymentConfig();
  await runServiceProcess({
    name: 'payment',
    logger,
    port: config.port,
    databaseUrl: config.databaseUrl,
    migrateOnStart: config.migrateOnStart,
    // ../src: the same folder from src/main.ts (tsx) and from dist/main.js (the bundle).
    migrationsDir: path.join(__dirname, '..', 'src', 'db', 'migrations'),
    createDb: (url) => createPrisma(PrismaClient, url),
    createService: ({ db, transport }) => createPaymentService({ db, transport, logger, config }),
  });
});

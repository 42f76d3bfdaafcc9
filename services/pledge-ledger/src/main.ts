import './telemetry';
import { createPrisma } from '@bfi/db';
import { runMain, runServiceProcess } from '@bfi/http';
import { createLogger } from '@bfi/messaging';
import path from 'node:path';
import { loadPledgeLedgerConfig } from './config';
import { PrismaClient } from './db/client';
import { providerClients } from './reconciliation/clients';
import { createPledgeLedgerService } from './service';

runMain(async () => {
  const logger = createLogger('pledge-ledger');
  const config = loadPledgeLedgerConfig();
  await runServiceProcess({
    name: 'pledge-ledger',
    logger,
    port: config.port,
    databaseUrl: config.databaseUrl,
    migrateOnStart: config.migrateOnStart,
    // ../src: the same folder from src/main.ts (tsx) and from dist/main.js (the bundle).
    migrationsDir: path.join(__dirname, '..', 'src', 'db', 'migrations'),
    createDb: (url) => createPrisma(PrismaClient, url),
    createService: ({ db, transport }) =>
      createPledgeLedgerService({
        db,
        transport,
        namespace: config.namespace,
        logger,
        config,
        providers: providerClients(config),
      }),
  });
});

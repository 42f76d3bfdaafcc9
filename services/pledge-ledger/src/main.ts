import './telemetry';
import { createPrisma } from '@bfi/db';
import { createLogger, runMain, runServiceProcess } from '@bfi/platform';
import { pledgeLedgerFiles } from '.';
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
    migrationsDir: pledgeLedgerFiles.migrations,
    // Named statements: parsed once per connection (measured: docs/ARCHITECTURE.md, set-based posting). This entry
    // runs on real PostgreSQL only; npm start's PGlite shares one session across connections.
    createDb: (url) =>
      createPrisma(PrismaClient, url, { ...config.databasePool, namedStatements: true }),
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

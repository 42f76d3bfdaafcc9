import './telemetry';
import { createPrisma } from '@bfi/db';
import { createLogger, runMain, runServiceProcess } from '@bfi/platform';
import { paymentFiles } from '.';
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
    migrationsDir: paymentFiles.migrations,
    // Named statements: parsed once per connection (docs/ARCHITECTURE.md, set-based apply). This
    // entry runs on real PostgreSQL only; npm start's PGlite shares one session across connections.
    createDb: (url) =>
      createPrisma(PrismaClient, url, { ...config.databasePool, namedStatements: true }),
    createService: ({ db, transport }) => createPaymentService({ db, transport, logger, config }),
  });
});

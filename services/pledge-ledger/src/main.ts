import { applyMigrations, createPrisma, serviceLayout } from '@bfi/db';
import { closeServer, listen, onShutdown } from '@bfi/http';
import { createLogger, createTransportFromEnv } from '@bfi/messaging';
import path from 'node:path';
import { loadPledgeLedgerConfig } from './config';
import { PrismaClient } from './db/client';
import { providerClients } from './reconciliation/clients';
import { createPledgeLedgerService } from './service';

async function main(): Promise<void> {
  const logger = createLogger('pledge-ledger');
  const config = loadPledgeLedgerConfig();
  if (config.migrateOnStart) {
    const { applied } = await applyMigrations(
      config.databaseUrl,
      serviceLayout(path.join(__dirname, '..')).migrationsDir,
    );
    logger.info({ applied }, 'migrations applied');
  }
  const db = createPrisma(PrismaClient, config.databaseUrl);
  const transport = createTransportFromEnv('pledge-ledger', logger);
  const service = createPledgeLedgerService({
    db,
    transport,
    namespace: config.namespace,
    logger,
    config,
    providers: providerClients(config),
  });
  await service.start();
  const server = await listen(service.app, config.port);
  logger.info({ port: config.port, transport: transport.name }, 'pledge-ledger listening');
  onShutdown(logger, [
    ['http', () => closeServer(server)],
    ['service', () => service.stop()],
    ['transport', () => transport.close()],
    ['database', () => db.$disconnect()],
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

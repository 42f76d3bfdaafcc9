import { applyMigrations, createPrisma } from '@bfi/db';
import { closeServer, listen, onShutdown } from '@bfi/http';
import { createLogger, createTransportFromEnv } from '@bfi/messaging';
import path from 'node:path';
import { loadPaymentConfig } from './config';
import { PrismaClient } from './db/repository';
import { createPaymentService } from './service';

async function main(): Promise<void> {
  const logger = createLogger('payment');
  const config = loadPaymentConfig();
  if (config.migrateOnStart)
    await applyMigrations(config.databaseUrl, path.join(__dirname, 'db', 'migrations'));
  const db = createPrisma(PrismaClient, config.databaseUrl);
  const transport = createTransportFromEnv('payment', logger);
  const service = createPaymentService({ db, transport, logger, config });
  await service.start();
  const server = await listen(service.app, config.port);
  logger.info({ port: config.port }, 'payment service listening');
  onShutdown(logger, [
    ['http', () => closeServer(server)],
    ['service', () => service.stop()],
    ['transport', () => transport.close()],
    ['database', () => db.$disconnect()],
  ]);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

// Standalone process: config from env, migrations, Prisma, transport, HTTP, graceful shutdown.
import { applyMigrations, createPrisma, serviceLayout } from '@bfi/db';
import { closeServer, listen, onShutdown } from '@bfi/http';
import { createLogger, createTransportFromEnv } from '@bfi/messaging';
import path from 'node:path';
import { configFromEnv } from './config';
import { PrismaClient } from './db/client';
import { createRewardService } from './service';

async function main(): Promise<void> {
  const logger = createLogger('reward');
  const config = configFromEnv();
  if (config.migrateOnStart) {
    const { applied } = await applyMigrations(
      config.databaseUrl,
      serviceLayout(path.join(__dirname, '..')).migrationsDir,
    );
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const db = createPrisma(PrismaClient, config.databaseUrl);
  const transport = createTransportFromEnv('reward', logger);
  const service = createRewardService({
    db,
    transport,
    namespace: config.namespace,
    logger,
    config,
  });
  await service.start();
  const server = await listen(service.app, config.port);
  logger.info({ port: config.port, transport: transport.name }, 'reward service listening');
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

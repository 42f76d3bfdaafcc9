import { applyMigrations } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { createTransportFromEnv, type Transport } from '@bfi/messaging';
import { stopTelemetry } from '@bfi/telemetry';
import { Counter, register } from 'prom-client';
import type { Logger } from './logger';

export interface RunnableService {
  /** The service's express app (what @bfi/http's `listen` serves). */
  app: Parameters<typeof listen>[0];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceProcessOptions<Db extends { $disconnect(): Promise<void> }> {
  name: string;
  logger: Logger;
  port: number;
  databaseUrl: string;
  migrateOnStart: boolean;
  migrationsDir: string;
  createDb(url: string): Db;
  createService(deps: { db: Db; transport: Transport }): RunnableService;
}

/**
 * One service as its own OS process — what every `src/main.ts` does: migrations (unless a
 * deploy job runs them), database pool, transport from the environment, the service, HTTP,
 * and graceful shutdown in the order that loses nothing (HTTP, consumers + relay flush,
 * transport, pool).
 */
export async function runServiceProcess<Db extends { $disconnect(): Promise<void> }>(
  options: ServiceProcessOptions<Db>,
): Promise<void> {
  const { logger } = options;
  guardProcess(logger);
  if (options.migrateOnStart) {
    const { applied } = await applyMigrations(options.databaseUrl, options.migrationsDir);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const db = options.createDb(options.databaseUrl);
  const transport = createTransportFromEnv(options.name, logger);
  const service = options.createService({ db, transport });
  await service.start();
  const server = await listen(service.app, options.port);
  logger.info({ port: options.port, transport: transport.name }, `${options.name} listening`);
  onShutdown(logger, [
    ['http', () => closeServer(server)],
    ['service', () => service.stop()],
    ['transport', () => transport.close()],
    ['database', () => db.$disconnect()],
    // Last, so the spans of everything above are exported (a no-op when tracing is off).
    ['telemetry', () => stopTelemetry()],
  ]);
}

/**
 * Graceful shutdown on SIGTERM/SIGINT, in the order that loses nothing: stop taking HTTP
 * requests and events, finish what is in hand, flush the outbox, close pools.
 */
export function onShutdown(
  logger: Logger,
  steps: [string, () => Promise<unknown>][],
  timeoutMs = 25000,
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, timeoutMs);
    for (const [name, step] of steps) {
      try {
        await step();
        logger.info({ step: name }, 'shutdown step done');
      } catch (err) {
        logger.error({ err, step: name }, 'shutdown step failed');
      }
    }
    clearTimeout(timer);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Runs main; a failure to start is printed plainly and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

const strayErrors =
  (register.getSingleMetric('process_unhandled_errors_total') as Counter<string>) ??
  new Counter({
    name: 'process_unhandled_errors_total',
    help: 'Promise rejections nobody handled and exceptions nobody caught (logged; the process keeps serving)',
    labelNames: ['kind'],
  });
let guarded = false;

/**
 * Every process of the suite (each service's main, the embedded launcher) calls this once. An
 * unhandled rejection or an uncaught exception is a bug in one request's code path (a stream
 * nobody listened to, a promise nobody awaited); by default Node stops the whole process for it
 * — in the embedded run all three services at once. Here it is logged with its stack and
 * counted (`process_unhandled_errors_total`, alert on it), and the process keeps serving.
 */
export function guardProcess(logger: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    strayErrors.inc({ kind: 'unhandledRejection' });
    logger.error({ err: reason }, 'unhandled promise rejection (a bug; the process keeps running)');
  });
  process.on('uncaughtException', (err, origin) => {
    strayErrors.inc({ kind: 'uncaughtException' });
    logger.error({ err, origin }, 'uncaught exception (a bug; the process keeps running)');
  });
}

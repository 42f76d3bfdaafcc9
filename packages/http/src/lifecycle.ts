import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';

export function listen(app: Express, port: number, host = '0.0.0.0'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

/** Stops accepting connections and waits for in-flight requests (long-lived SSE streams are cut). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
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

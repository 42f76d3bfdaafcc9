// Standalone process: config from env, HTTP, graceful shutdown. The web service keeps no state
// of its own (no database, no broker): it renders pages from the other services' APIs.
import './telemetry';
import { closeServer, listen } from '@bfi/http';
import { createLogger, onShutdown, runMain } from '@bfi/platform';
import { stopTelemetry } from '@bfi/telemetry';
import { loadWebConfig } from './config';
import { createWebService } from './service';

runMain(async () => {
  const logger = createLogger('web');
  const config = loadWebConfig();
  const service = createWebService({ config, logger });
  const server = await listen(service.app, config.port);
  logger.info({ port: config.port }, 'web listening');
  onShutdown(logger, [
    ['http', () => closeServer(server)],
    ['telemetry', () => stopTelemetry()],
  ]);
});

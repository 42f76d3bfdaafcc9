import type { AddressInfo } from 'node:net';
import { TOPICS } from '@bfi/events';
import { closeServer, listen } from '@bfi/http';
import { testKafka } from '@bfi/testing';
import pino from 'pino';
import { createPaymentService } from '../src/service';
import { openWorld, type World } from './harness';

type Readyz = { checks: Record<string, string> };

// In production the topics come from KafkaTopic resources (auto-create is off): a probe that
// created a missing topic would report ready with a topic nobody configured (replicas, ACLs).
describe('payment /readyz', () => {
  let world: World;
  beforeAll(async () => {
    world = await openWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  test('reports a missing payment topic as not ready and leaves creating it to start()', async () => {
    const { transport, namespace } = testKafka('payment-readiness');
    const topic = namespace + TOPICS.payment;
    const funds = namespace + TOPICS.funds;
    const service = createPaymentService({
      db: world.db,
      transport,
      namespace,
      logger: pino({ level: 'warn' }),
      config: world.service.deps.config,
    });
    const server = await listen(service.app, 0, '127.0.0.1');
    const readyz = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    try {
      const notReady = await fetch(readyz);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as Readyz).checks).toEqual({
        database: 'ok',
        broker: `topic ${topic}, ${funds} does not exist`,
        funds: 'the fund event consumer (ledger.funds) is not running',
      });
      expect(await transport.missingTopics([topic])).toEqual([topic]);

      await service.start();
      const ready = await fetch(readyz);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as Readyz).checks).toEqual({
        database: 'ok',
        broker: 'ok',
        funds: 'ok',
      });
    } finally {
      await closeServer(server);
      await service.stop();
      await transport.close();
    }
  });
});

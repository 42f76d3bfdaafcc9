// The reward service as a value: the embedded run and the tests build it with their own
// database, transport and namespace; main.ts builds it from the environment.
import { createServiceApp } from '@bfi/http';
import { TOPICS } from '@bfi/events';
import { OutboxRelay, type Logger, type Transport } from '@bfi/messaging';
import type { Express } from 'express';
import type { RewardServiceConfig } from './config';
import type { Db } from './db/client';
import { consumerName, createLedgerConsumer } from './events/ledger-consumer';
import { rewardRoutes } from './http/routes';
import type { RewardContext } from './app/context';
import { expireOverdue } from './app/expire';

export interface RewardServiceDeps {
  db: Db;
  transport: Transport;
  /** Topic prefix (isolated test runs, several environments on one cluster). */
  namespace?: string;
  logger: Logger;
  config: RewardServiceConfig;
  /** Injected clock (claim-code expiry in tests); defaults to the wall clock. */
  clock?: () => Date;
  /** Outbox relay poll interval. */
  relayPollMs?: number;
  /** How often overdue claim codes are expired (default hourly). */
  expirySweepMs?: number;
}

export interface RewardService {
  app: Express;
  context: RewardContext;
  relay: OutboxRelay;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createRewardService(deps: RewardServiceDeps): RewardService {
  const namespace = deps.namespace ?? '';
  const logger = deps.logger;
  const relay = new OutboxRelay({
    name: 'reward',
    db: deps.db,
    publisher: deps.transport,
    logger,
    pollMs: deps.relayPollMs,
  });
  const context: RewardContext = {
    db: deps.db,
    namespace,
    clock: deps.clock ?? (() => new Date()),
    settings: deps.config.settings,
    nudge: () => relay.nudge(),
  };
  const consumer = createLedgerConsumer(context, deps.transport, logger);
  const app = createServiceApp({
    name: 'reward',
    logger,
    apiKeys: deps.config.apiKeys,
    personTokens: deps.config.personTokens,
    readiness: {
      database: async () => {
        await deps.db.$queryRawUnsafe('SELECT 1');
      },
      broker: async () => {
        await deps.transport.lag(consumerName(namespace), [namespace + TOPICS.ledger]);
      },
    },
    routes: rewardRoutes(context, deps.config.sse),
  });
  let started = false;
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () =>
    expireOverdue(context).then(
      (n) =>
        n > 0 &&
        logger.info({ expired: n }, 'expired overdue claim codes; packs back on the shelf'),
      (err: unknown) => logger.warn({ err }, 'expiry sweep failed; next run retries'),
    );
  return {
    app,
    context,
    relay,
    async start() {
      if (started) return;
      relay.start();
      await consumer.start();
      sweeper = setInterval(() => void sweep(), deps.expirySweepMs ?? 3_600_000);
      sweeper.unref();
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      clearInterval(sweeper);
      await consumer.stop();
      await relay.stop();
    },
  };
}

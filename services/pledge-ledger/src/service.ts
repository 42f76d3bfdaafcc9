import { TOPICS } from '@bfi/events';
import {
  createServiceApp,
  type ApiKeyRecord,
  type PersonTokenOptions,
  SseLimiter,
  type SseLimits,
} from '@bfi/http';
import { OutboxRelay, type Logger, type Transport } from '@bfi/messaging';
import type { Express } from 'express';
import type { Db } from './db/client';
import { LagMonitor } from './ledger/events/lag-monitor';
import {
  CONSUMER_NAME,
  consumerName,
  createPaymentConsumer,
} from './ledger/events/payment-consumer';
import { RefusedParkedSweeper } from './ledger/events/refused-parked';
import { announceUnpublishedFunds } from './ledger/db/funds-repo';
import { CampaignFeed } from './ledger/app/campaign-feed';
import { deadLetterDesk } from './ledger/app/dead-letters';
import type { ProviderClients } from './reconciliation/app/providers';
import { mountServiceRoutes } from './service-routes';

export interface PledgeLedgerServiceConfig {
  apiKeys: ApiKeyRecord[];
  personTokens?: PersonTokenOptions;
  lagIntervalMs?: number;
  campaignPollMs?: number;
  outboxPollMs?: number;
  /** Payment events posted per database transaction (default 100). */
  consumerBatchSize?: number;
  /** Caps, maximum age and retry of the campaign stream (default DEFAULT_SSE_LIMITS). */
  sse?: SseLimits;
  /**
   * Check every JSON answer against its documented schema (a 500 when it breaks it). Default:
   * on unless NODE_ENV=production, so every test proves the OpenAPI document.
   */
  checkResponses?: boolean;
}

export interface PledgeLedgerDeps {
  db: Db;
  transport: Transport;
  /** Prefix of every topic name (test isolation, several environments on one cluster). */
  namespace?: string;
  logger: Logger;
  config: PledgeLedgerServiceConfig;
  /** Stripe / PayPal SDK clients for statement imports (absent: that import answers 503). */
  providers?: ProviderClients;
}

export interface PledgeLedgerService {
  app: Express;
  relay: OutboxRelay;
  lag: LagMonitor;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Funds the migrations seeded (or written before funds were announced) go out once, at start. */
async function announceFunds({ db, transport, logger, namespace = '' }: PledgeLedgerDeps) {
  await transport.ensureTopics([namespace + TOPICS.funds]);
  const announced = await announceUnpublishedFunds(db, namespace);
  if (announced > 0) logger.info({ funds: announced }, 'funds announced on ledger.funds');
}

/** The ledger's loops: outbox relay, payment consumer, refused-parked sweeper, lag monitor. */
function ledgerLoops(deps: PledgeLedgerDeps) {
  const { db, transport, logger, config } = deps;
  const namespace = deps.namespace ?? '';
  const relay = new OutboxRelay({
    name: CONSUMER_NAME,
    db,
    publisher: transport,
    logger,
    pollMs: config.outboxPollMs ?? 100,
  });
  const sweeper = new RefusedParkedSweeper({ db, publisher: transport, namespace, logger });
  const consumer = createPaymentConsumer({
    db,
    transport,
    namespace,
    logger,
    batchSize: config.consumerBatchSize ?? 100,
    onCommitted: () => {
      relay.nudge();
      sweeper.nudge();
    },
  });
  const lag = new LagMonitor(
    transport,
    consumerName(namespace),
    [namespace + TOPICS.payment],
    config.lagIntervalMs ?? 15000,
    logger,
  );
  return { relay, sweeper, consumer, lag };
}

/** No globals, no env reads: the embedded run builds all services on one transport this way. */
export function createPledgeLedgerService(deps: PledgeLedgerDeps): PledgeLedgerService {
  const { db, transport, logger, config } = deps;
  const namespace = deps.namespace ?? '';
  const { relay, sweeper, consumer, lag } = ledgerLoops(deps);
  const campaign = new CampaignFeed(db, config.campaignPollMs ?? 1000, logger);
  let consuming = false;

  const app = createServiceApp({
    name: 'pledge-ledger',
    logger,
    apiKeys: config.apiKeys,
    personTokens: config.personTokens,
    readiness: {
      database: async () => {
        await db.$queryRaw`SELECT 1`;
      },
      consumer: async () => {
        if (!consuming) throw new Error('the payment event consumer is not running');
      },
    },
    routes: (a) =>
      mountServiceRoutes(a, {
        ledger: {
          db,
          campaign,
          logger,
          deadLetters: deadLetterDesk({ transport, namespace, logger }),
          streams: new SseLimiter(config.sse),
          namespace,
          onCommitted: () => relay.nudge(),
        },
        reconciliation: { db, providers: deps.providers ?? {}, logger },
        checkResponses: config.checkResponses ?? process.env.NODE_ENV !== 'production',
      }),
  });

  return {
    app,
    relay,
    lag,
    async start() {
      await announceFunds(deps);
      relay.start();
      await consumer.start();
      consuming = true;
      sweeper.start();
      lag.start();
    },
    async stop() {
      consuming = false;
      await lag.stop();
      await campaign.stop();
      await consumer.stop();
      await sweeper.stop();
      await relay.stop();
    },
  };
}

import {
  createServiceApp,
  deriveDonorSecret,
  donorSecretMatches,
  hashDonorSecret,
} from '@bfi/http';
import { OutboxRelay, type Transport } from '@bfi/messaging';
import { TOPICS } from '@bfi/events';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { AppDeps, DonorSecrets } from './app/deps';
import { DonationChangeFeed, type ChangeFeedOptions } from './app/change-feed';
import { StatusNotifier } from './app/notifier';
import { ReceiptMailer } from './app/receipt-mailer';
import { WebhookApplier } from './app/webhook-applier';
import { applyStoredBatch } from './app/stored-batch';
import { applyStoredDelivery } from './app/webhook-inbox';
import { WebhookIntake } from './app/webhook-intake';
import { manageUrl } from './app/manage';
import type { PaymentConfig } from './config';
import type { Db } from './db/repository';
import { DeliveryGroupWriter } from './db/webhook-inbox-group';
import { FundCatalogue } from './events/fund-consumer';
import { mountRoutes } from './http/routes';
import { PayPalGateway } from './providers/paypal';
import { StripeGateway } from './providers/stripe';

export interface PaymentServiceDeps {
  db: Db;
  transport: Transport;
  /** Topic name prefix; defaults to config.topicNamespace. */
  namespace?: string;
  logger: Logger;
  config: PaymentConfig;
  /** Clock, for tests of expiring QR codes. */
  now?: () => Date;
  /** Polling of changes made by other replicas, for the SSE streams. */
  changeFeed?: ChangeFeedOptions;
}

/** The manage link each installment's receipt e-mail carries. */
const manageLinks =
  (config: PaymentConfig, now = () => new Date()) =>
  (subscriptionId: string) =>
    manageUrl(config, subscriptionId, now());

export interface PaymentService {
  app: Express;
  deps: AppDeps;
  start(): Promise<void>;
  /** Resolves once the ledger's funds have arrived (the first start of a suite waits for it). */
  fundsKnown(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The donor secret's crypto for the use cases; the QR key is their server key too. */
function donorSecrets(config: PaymentConfig): DonorSecrets {
  return {
    derive: (donationId) => deriveDonorSecret(config.qrSecret, donationId),
    hash: hashDonorSecret,
    matches: donorSecretMatches,
  };
}

/** /readyz: the database answers, the topics exist, the ledger's funds have arrived. */
function readiness(db: Db, transport: Transport, namespace: string, funds: FundCatalogue) {
  return {
    database: async () => {
      await db.$queryRawUnsafe('SELECT 1');
    },
    // Only looks: a probe that created topics would hide a missing KafkaTopic resource.
    broker: async () => {
      const missing = await transport.missingTopics([
        namespace + TOPICS.payment,
        namespace + TOPICS.funds,
      ]);
      if (missing.length > 0) throw new Error(`topic ${missing.join(', ')} does not exist`);
    },
    funds: () => funds.check(),
  };
}

/** The inbox of provider deliveries: its applier loop, and the webhooks' answer path. */
function webhookInbox(input: PaymentServiceDeps, deps: () => AppDeps) {
  const { db, logger, config } = input;
  const webhooks = new WebhookApplier({
    db,
    logger,
    ...config.webhookInbox,
    apply: (row) => applyStoredDelivery(deps(), row),
    applyBatch: (rows) => applyStoredBatch(deps(), rows),
  });
  const inbox = new WebhookIntake({
    applier: webhooks,
    writer: new DeliveryGroupWriter(db),
    logger,
    inlineSlots: config.webhookInbox.inlineSlots,
  });
  return { webhooks, inbox };
}

/**
 * The payment service without process concerns (no listen, no env): main.ts and the embedded
 * `npm start` build it the same way. It publishes payment.* through the outbox and consumes
 * ledger.funds (which funds take gifts).
 */
export function createPaymentService(input: PaymentServiceDeps): PaymentService {
  const { db, transport, logger, config } = input;
  const namespace = input.namespace ?? config.topicNamespace;
  const relay = new OutboxRelay({ name: 'payment', db, publisher: transport, logger });
  const notifier = new StatusNotifier();
  const mailer = ReceiptMailer.create(db, config.mail, logger, manageLinks(config, input.now));
  const changeFeed = new DonationChangeFeed({ db, notifier, logger }, input.changeFeed);
  const { webhooks, inbox } = webhookInbox(input, () => deps);
  const deps: AppDeps = {
    db,
    namespace,
    relay,
    notifier,
    mailer,
    webhooks,
    inbox,
    stripe: new StripeGateway(config.stripe),
    paypal: new PayPalGateway(config.paypal),
    config,
    donorSecrets: donorSecrets(config),
    logger,
    now: input.now ?? (() => new Date()),
  };
  const funds = new FundCatalogue({ db, transport, namespace, logger });
  const app = createServiceApp({
    name: 'payment',
    logger,
    apiKeys: config.apiKeys,
    personTokens: config.personTokens,
    readiness: readiness(db, transport, namespace, funds),
    routes: (a) => mountRoutes(a, deps),
  });
  return {
    app,
    deps,
    async start() {
      await transport.ensureTopics([namespace + TOPICS.payment]);
      relay.start();
      await funds.start();
      changeFeed.start();
      mailer.start();
      webhooks.start();
    },
    fundsKnown: (timeoutMs) => funds.known(timeoutMs),
    async stop() {
      // First: its last round's transactions enqueue events the relay still sends.
      await webhooks.stop();
      await mailer.stop();
      await changeFeed.stop();
      await funds.stop();
      await relay.stop();
    },
  };
}

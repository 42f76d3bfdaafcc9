// @ts-check
// What the manifests must agree with, read from the code that owns it rather than re-declared:
// topics from packages/events, the services' ports from their config loaders, the Kafka version
// from infra/kafka (pom.xml). Only the deployment's own decisions are written down here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { KAFKA_VERSION } from '../../infra/kafka/lib/common.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NAMESPACE = 'bfi';
export const APP_BUILDS = ['base', 'overlays/staging', 'overlays/production'];
export const KAFKA_BUILD = 'kafka';
/** Who calls public HTTPS addresses: payment (Stripe, PayPal) and web (the OpenID provider). */
export const PROVIDER_EGRESS = new Set(['payment', 'web']);
/**
 * Deployments whose people's sessions live in the process's memory (services/web/src/http/
 * session.ts, SessionStore): they run one replica and no autoscaler (docs/DEPLOY.md).
 */
export const IN_MEMORY_SESSIONS = new Set(['web']);
/**
 * The namespace label of the OpenTelemetry collector (docs/DEPLOY.md, step 0), and OTLP's ports.
 * @type {[string, string]}
 */
export const OTEL_COLLECTOR = ['bfi/otel-collector', 'true'];
export const OTLP_PORTS = [4317, 4318];
export const PARTITIONS = 3;
export const STRIMZI_API = 'kafka.strimzi.io/v1';
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
]);
/** The Kafka release the tests run (infra/kafka/pom.xml); production must run the same. */
export const TESTED_KAFKA_VERSION = KAFKA_VERSION;

/**
 * Imports a TypeScript module of the repo (through tsx, so `node k8s/validate.mjs` needs no flags).
 * @param {string} file relative to the repository
 * @returns {Promise<any>}
 */
const importTs = (file) => tsImport(path.join(ROOT, file), import.meta.url);

/** @type {{ TOPICS: Record<'payment' | 'ledger' | 'reward' | 'funds', string>, dlqTopic: (t: string) => string, DEAD_LETTER_REPLAYS_TOPIC: string }} */
const events = await importTs('packages/events/src/topics.ts');
const { TOPICS, dlqTopic, DEAD_LETTER_REPLAYS_TOPIC } = events;
export const EVENT_TOPICS = Object.values(TOPICS);
export const ALL_TOPICS = [
  ...EVENT_TOPICS,
  ...EVENT_TOPICS.map(dlqTopic),
  DEAD_LETTER_REPLAYS_TOPIC,
];

/**
 * The port each service listens on when PORT is not set: its config loader's default, given only
 * the variables that have no default.
 * @returns {Promise<Record<string, number>>}
 */
async function defaultPorts() {
  const env = {
    DATABASE_URL: 'postgresql://k8s-validate/unused',
    QR_SECRET: 'k8s-validate-unused',
  };
  const [payment, ledger, reward] = await Promise.all([
    importTs('services/payment/src/config.ts'),
    importTs('services/pledge-ledger/src/config.ts'),
    importTs('services/reward/src/config.ts'),
  ]);
  return {
    payment: payment.loadPaymentConfig(env).port,
    'pledge-ledger': ledger.loadPledgeLedgerConfig(env).port,
    reward: reward.loadRewardConfig(env).port,
  };
}

/** Service name → port; Deployments, Services and ConfigMaps must all use it. */
export const SERVICES = await defaultPorts();

/**
 * Deployments without a database or broker of their own (the donor pages call the APIs): no
 * migration Job, no Kafka, no DATABASE_URL. Name → the port their config loader defaults to.
 * @type {Record<string, number>}
 */
export const FRONTENDS = {
  web: (await importTs('services/web/src/config.ts')).loadWebConfig({}).port,
};

/**
 * What each service's Kafka principal must be able to do (topic → operations), and its consumer
 * groups: payment publishes and reads the ledger's funds; the ledger consumes payment's events and
 * publishes its own and the funds; reward consumes the ledger's. Each consumer parks poison
 * messages on the DLQ of the topic it reads. The ledger also serves finance's dead-letter replay:
 * it reads every DLQ (throw-away groups pledge-ledger-reader-*, a prefix ACL), writes each letter
 * back to its topic and records the replay.
 * @type {Record<string, { topics: Record<string, string[]>, groups: string[] }>}
 */
export const ACCESS = {
  'bfi-payment': {
    topics: {
      [TOPICS.payment]: ['Write'],
      [TOPICS.funds]: ['Read'],
      [dlqTopic(TOPICS.funds)]: ['Write'],
    },
    groups: ['payment'],
  },
  'bfi-pledge-ledger': {
    topics: {
      [TOPICS.payment]: ['Read', 'Write'],
      [dlqTopic(TOPICS.payment)]: ['Read', 'Write'],
      [TOPICS.ledger]: ['Write'],
      [dlqTopic(TOPICS.ledger)]: ['Read'],
      [TOPICS.reward]: ['Write'],
      [dlqTopic(TOPICS.reward)]: ['Read'],
      [TOPICS.funds]: ['Write'],
      [dlqTopic(TOPICS.funds)]: ['Read'],
      [DEAD_LETTER_REPLAYS_TOPIC]: ['Read', 'Write'],
    },
    groups: ['pledge-ledger', 'pledge-ledger-reader-'],
  },
  'bfi-reward': {
    topics: {
      [TOPICS.ledger]: ['Read'],
      [dlqTopic(TOPICS.ledger)]: ['Write'],
      [TOPICS.reward]: ['Write'],
    },
    groups: ['reward'],
  },
};

/** The paths the public Ingress routes, and to which service. */
export const PUBLIC_PATHS = {
  '/donations': 'payment',
  '/webhooks/stripe': 'payment',
  '/webhooks/paypal': 'payment',
  '/donation-points': 'payment',
  '/campaign/totals': 'pledge-ledger',
  '/rewards/by-donation': 'reward',
  '/digital-packs': 'reward',
  // Everything else: the donor pages (campaign, donate, thank-you, receipts).
  '/': 'web',
};

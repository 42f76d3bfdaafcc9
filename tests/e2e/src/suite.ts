// The three services as separate processes on the private PostgreSQL and Kafka, with local fake
// Stripe and PayPal in the test process, API keys, offices, donation points, reward rules and
// stock — everything an e2e scenario needs, set up through the services' own HTTP APIs.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOPICS, dlqTopic } from '@bfi/events';
import { generateApiKey, hashApiKey, type ApiKeyRecord } from '@bfi/http';
import { KafkaTransport, type Transport } from '@bfi/messaging';
import { createLogger } from '@bfi/platform';
import { FakePayPal, FakeStripe } from '@bfi/provider-fakes';
import { tapTopic, type Tap } from '@bfi/testing';
import { expectStatus } from './http';
import type { Infra } from './infra';
import { freePort } from './ports';
import { ServiceProcess, type ServiceName } from '@bfi/suite';

export const CAMPAIGN = '#BullyingFreeInternet';
export const FUND = 'specialist-training';
export const STRIPE_WEBHOOK_SECRET = 'whsec_e2e_endpoint_secret';
export const PAYPAL_WEBHOOK_ID = 'WH-E2E-0001';

/** Fees the fakes keep, set here so the expected fund totals can be computed from them. */
export const stripeFee = (minor: number): number => Math.round(minor * 0.029) + 30;
export const paypalFee = (minor: number): number => Math.round(minor * 0.0349) + 49;

/** Reward rules of the scenarios (what the reward service is told through POST /admin/rules). */
export const RULES = {
  officePhysical: { BYN: 1000, USD: 500, EUR: 500 },
  digital: { BYN: 500, USD: 200, EUR: 200 },
} as const;

export interface Office {
  id: string;
  counterPointId: string;
  staffKey: string;
}

export interface Keys {
  admin: string;
  finance: string;
  staff: Record<string, string>;
}

export interface SuiteOptions {
  scenario: string;
  infra: Infra;
  /** Physical sticker packs delivered to each office at the start. */
  stockPerOffice?: number;
  /** Fakes send refund / capture webhooks by themselves (off when a scenario delivers them). */
  autoWebhooks?: boolean;
  /** Extra environment of all three services (e.g. the OTEL_* variables of the tracing test). */
  env?: Record<string, string>;
}

export class Suite {
  readonly namespace = `e2e${randomUUID().slice(0, 8)}.`;
  readonly stripe: FakeStripe;
  readonly paypal: FakePayPal;
  readonly keys: Keys;
  readonly offices: Office[] = [];
  readonly databases = {} as Record<ServiceName, string>;
  readonly services = {} as Record<ServiceName, ServiceProcess>;
  readonly logDir: string;
  transport?: Transport;
  /** Set when a check failed: the service logs are kept for the diagnosis. */
  failed = false;
  taps = {} as Record<'payment' | 'ledger' | 'paymentDlq' | 'ledgerDlq', Tap>;

  private constructor(readonly options: SuiteOptions) {
    const auto = options.autoWebhooks ?? true;
    this.stripe = new FakeStripe({
      webhookSecret: STRIPE_WEBHOOK_SECRET,
      feeFor: stripeFee,
      autoRefundWebhooks: auto,
    });
    this.paypal = new FakePayPal({
      webhookId: PAYPAL_WEBHOOK_ID,
      feeFor: paypalFee,
      autoWebhooks: auto,
    });
    this.keys = {
      admin: generateApiKey(),
      finance: generateApiKey(),
      staff: { 'e2e-minsk-1': generateApiKey(), 'e2e-gomel-2': generateApiKey() },
    };
    this.logDir = fs.mkdtempSync(path.join(os.tmpdir(), `bfi-e2e-${options.scenario}-`));
  }

  get payment(): ServiceProcess {
    return this.services.payment;
  }
  get ledger(): ServiceProcess {
    return this.services['pledge-ledger'];
  }
  get reward(): ServiceProcess {
    return this.services.reward;
  }
  get pg() {
    return this.options.infra.pg;
  }
  get kafka() {
    return this.options.infra.kafka;
  }

  static async start(options: SuiteOptions): Promise<Suite> {
    const suite = new Suite(options);
    try {
      await suite.boot();
      return suite;
    } catch (err) {
      await suite.stop().catch(() => undefined);
      throw err;
    }
  }

  private async boot(): Promise<void> {
    await this.stripe.start();
    await this.paypal.start();
    await this.createDatabases();
    // Taps first: they see every message from offset 0, whatever happens to the services.
    await this.startTaps();
    const ports = {
      payment: await freePort(),
      'pledge-ledger': await freePort(),
      reward: await freePort(),
    };
    const env = this.serviceEnv(ports);
    for (const name of ['payment', 'pledge-ledger', 'reward'] as const) {
      this.services[name] = new ServiceProcess(
        name,
        ports[name],
        env[name],
        path.join(this.logDir, `${name}.log`),
      );
    }
    this.stripe.webhookUrl = `${this.payment.url}/webhooks/stripe`;
    this.paypal.webhookUrl = `${this.payment.url}/webhooks/paypal`;
    await Promise.all(Object.values(this.services).map((s) => s.start()));
    await this.seed();
  }

  /** A fresh database per service, named after the scenario so leftovers can be told apart. */
  private async createDatabases(): Promise<void> {
    const tag = `${this.options.scenario.replace(/[^a-z0-9]/g, '_')}_${randomUUID().slice(0, 6)}`;
    for (const name of ['payment', 'pledge-ledger', 'reward'] as const) {
      this.databases[name] = await this.pg.createDatabase(`e2e_${tag}_${name.replace('-', '_')}`);
    }
  }

  /** Taps on the payment and ledger topics and their DLQs (what the invariants count). */
  private async startTaps(): Promise<void> {
    const logger = createLogger('e2e-tap');
    logger.level = 'error';
    const transport = new KafkaTransport({
      brokers: [this.kafka.brokers],
      clientId: 'e2e-tap',
      logger,
    });
    this.transport = transport;
    const ns = this.namespace;
    const topics = [TOPICS.payment, TOPICS.ledger].map((t) => ns + t);
    // One admin call for all of them: parallel createTopics calls race on a fresh broker.
    await transport.ensureTopics([...topics, ...topics.map(dlqTopic)]);
    [this.taps.payment, this.taps.ledger, this.taps.paymentDlq, this.taps.ledgerDlq] =
      await Promise.all([
        tapTopic(transport, ns + TOPICS.payment),
        tapTopic(transport, ns + TOPICS.ledger),
        tapTopic(transport, dlqTopic(ns + TOPICS.payment)),
        tapTopic(transport, dlqTopic(ns + TOPICS.ledger)),
      ]);
  }

  /** Each service's environment: the shared broker, namespace and keys, plus its own settings. */
  private serviceEnv(
    ports: Record<ServiceName, number>,
  ): Record<ServiceName, Record<string, string>> {
    const common = {
      KAFKA_BROKERS: this.kafka.brokers,
      TOPIC_NAMESPACE: this.namespace,
      API_KEYS: JSON.stringify(this.keyRecords()),
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'true',
      // Every request of a test comes from 127.0.0.1; the per-IP limit is not under test here.
      PUBLIC_RATE_LIMIT: '10000000',
      WEBHOOK_RATE_LIMIT: '10000000',
      DONATION_RATE_LIMIT: '10000000',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...this.options.env,
    };
    const paymentUrl = `http://127.0.0.1:${ports.payment}`;
    return {
      payment: {
        ...common,
        DATABASE_URL: this.databases.payment,
        QR_SECRET: 'e2e-qr-secret-0123456789abcdef',
        PUBLIC_BASE_URL: paymentUrl,
        THANK_YOU_URL: `${paymentUrl}/donations/{DONATION_ID}`,
        STRIPE_SECRET_KEY: 'sk_test_e2e',
        STRIPE_WEBHOOK_SECRET,
        STRIPE_API_HOST: '127.0.0.1',
        STRIPE_API_PORT: String(this.stripe.port),
        STRIPE_API_PROTOCOL: 'http',
        PAYPAL_BASE_URL: this.paypal.url,
        PAYPAL_WEB_URL: this.paypal.url,
        PAYPAL_CLIENT_ID: this.paypal.clientId,
        PAYPAL_CLIENT_SECRET: this.paypal.clientSecret,
        PAYPAL_WEBHOOK_ID,
      },
      'pledge-ledger': { ...common, DATABASE_URL: this.databases['pledge-ledger'] },
      reward: {
        ...common,
        DATABASE_URL: this.databases.reward,
        PUBLIC_BASE_URL: `http://127.0.0.1:${ports.reward}`,
      },
    };
  }

  private keyRecords(): ApiKeyRecord[] {
    return [
      { id: 'e2e-admin', name: 'E2E admin', role: 'admin', sha256: hashApiKey(this.keys.admin) },
      {
        id: 'e2e-finance',
        name: 'E2E finance',
        role: 'finance',
        sha256: hashApiKey(this.keys.finance),
      },
      ...Object.entries(this.keys.staff).map(([officeId, key]) => ({
        id: `e2e-staff-${officeId}`,
        name: `Staff of ${officeId}`,
        role: 'office-staff' as const,
        officeId,
        sha256: hashApiKey(key),
      })),
    ];
  }

  /** Offices and counter points (payment), rules and stock (reward), as an administrator would. */
  private async seed(): Promise<void> {
    const admin = this.keys.admin;
    for (const [id, staffKey] of Object.entries(this.keys.staff)) {
      await expectStatus(201, `${this.payment.url}/offices`, {
        key: admin,
        body: { id, name: `MTS office ${id}` },
      });
      const point = await expectStatus<{ id: string }>(
        201,
        `${this.payment.url}/offices/${id}/points`,
        {
          key: admin,
          body: { label: 'Counter 1', kind: 'counter' },
        },
      );
      this.offices.push({ id, counterPointId: point.id, staffKey });
      await expectStatus(201, `${this.reward.url}/offices/${id}/stock/deliveries`, {
        key: staffKey,
        body: { quantity: this.options.stockPerOffice ?? 100, note: 'e2e: first delivery' },
      });
    }
    const activeFrom = new Date(Date.UTC(new Date().getUTCFullYear() - 1, 0, 1)).toISOString();
    const rules = [
      {
        channel: 'office',
        kind: 'physical-sticker-pack',
        priority: 10,
        minimums: RULES.officePhysical,
      },
      { channel: 'online', kind: 'digital-sticker-pack', priority: 0, minimums: RULES.digital },
      { channel: 'office', kind: 'digital-sticker-pack', priority: 0, minimums: RULES.digital },
    ];
    for (const rule of rules) {
      await expectStatus(201, `${this.reward.url}/admin/rules`, {
        key: admin,
        body: {
          campaign: CAMPAIGN,
          fund: null,
          outOfStock: 'wait-for-stock',
          activeFrom,
          activeUntil: null,
          ...rule,
        },
      });
    }
  }

  /** Starts any service that is down (after a fault scenario) and waits until all are ready. */
  async ensureAllRunning(): Promise<void> {
    await Promise.all(
      Object.values(this.services)
        .filter((s) => !s.running)
        .map((s) => s.start()),
    );
  }

  /** Graceful stop of everything this suite started; logs are kept when keepLogs. */
  async stop(keepLogs = false): Promise<void> {
    await Promise.all(Object.values(this.services).map((s) => s.stop()));
    await Promise.all(Object.values(this.taps).map((t) => t.stop().catch(() => undefined)));
    await this.transport?.close().catch(() => undefined);
    await this.stripe.stop().catch(() => undefined);
    await this.paypal.stop().catch(() => undefined);
    if (keepLogs || this.failed || process.env.E2E_KEEP_LOGS) {
      process.stderr.write(
        `e2e: service logs of ${this.options.scenario} kept in ${this.logDir}\n`,
      );
    } else {
      fs.rmSync(this.logDir, { recursive: true, force: true });
    }
  }
}

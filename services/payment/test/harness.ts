import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  createPrisma,
  createTestDatabase,
  type PrismaPoolOptions,
  type TestDatabase,
} from '@bfi/db';
import { createEvent, toKafkaRecord, TOPICS, type AnyEvent, type FundStatus } from '@bfi/events';
import { closeServer, hashApiKey, listen } from '@bfi/http';
import { FakePayPal, FakeStripe, type FakeStripeOptions } from '@bfi/provider-fakes';
import { eventually, tapTopic, testKafka, type Tap } from '@bfi/testing';
import pino from 'pino';
import Stripe from 'stripe';
import { loadPaymentConfig } from '../src/config';
import { PrismaClient, type Db } from '../src/db/repository';
import { createPaymentService, type PaymentService } from '../src/service';

export const migrationsDir = path.join(__dirname, '..', 'src', 'db', 'migrations');
export const QR_SECRET = 'test-qr-secret-0123456789abcdef';
export const KEYS = {
  admin: 'key-admin-0001',
  finance: 'key-finance-0001',
  staffA: 'key-staff-a-0001',
  staffB: 'key-staff-b-0001',
};

export interface World {
  base: string;
  db: Db;
  stripe: FakeStripe;
  paypal: FakePayPal;
  service: PaymentService;
  tap: Tap;
  /**
   * A second replica of the service on the same database and broker, serving HTTP on its own
   * port (what a Kubernetes Service spreads requests over). Closed with the world.
   */
  replica(): Promise<{ base: string; service: PaymentService }>;
  /** Test clock (ms since epoch) behind the service's now(). */
  clock: { ms: number | null };
  api(
    method: string,
    url: string,
    opts?: { body?: unknown; key?: keyof typeof KEYS; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies ad hoc
  ): Promise<{ status: number; body: any; headers: Headers }>;
  events(type?: string, donationId?: string): AnyEvent[];
  /**
   * Publishes ledger.fund-changed.v1 on the broker as the ledger does (next version of the fund)
   * and waits until payment has it (`wait: false` only publishes).
   */
  fund(
    slug: string,
    status: FundStatus,
    options?: { wait?: boolean; version?: number },
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * One isolated world per test file: own database, own topic namespace, own fake providers
 * (`pool`: the service's pg pool, e.g. one connection to see a pool timeout).
 */
export async function openWorld(
  env: Record<string, string> = {},
  fakes: { stripe?: FakeStripeOptions } = {},
  pool: PrismaPoolOptions = {},
): Promise<World> {
  const database: TestDatabase = await createTestDatabase({ prefix: 'payment', migrationsDir });
  const db = createPrisma(PrismaClient, database.url, pool);
  const { transport, namespace } = testKafka('payment-test');
  const stripe = new FakeStripe({ webhookSecret: 'whsec_test_endpoint_secret', ...fakes.stripe });
  const paypal = new FakePayPal({ webhookId: 'WH-TEST-1' });
  await Promise.all([stripe.start(), paypal.start()]);
  const config = loadPaymentConfig({
    // Most tests read what a delivery changed in the webhook's answer: applied inside the
    // request (the production default is 0, answered "queued"; webhook-group-commit.test.ts).
    WEBHOOK_INLINE_SLOTS: '4',
    DATABASE_URL: database.url,
    QR_SECRET,
    STRIPE_SECRET_KEY: 'sk_test_payment',
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_HOST: '127.0.0.1',
    STRIPE_API_PORT: String(stripe.port),
    STRIPE_API_PROTOCOL: 'http',
    PAYPAL_CLIENT_ID: paypal.clientId,
    PAYPAL_CLIENT_SECRET: paypal.clientSecret,
    PAYPAL_BASE_URL: paypal.url,
    PAYPAL_WEB_URL: paypal.url,
    PAYPAL_WEBHOOK_ID: paypal.webhookId,
    PUBLIC_RATE_LIMIT: '100000',
    DONATION_RATE_LIMIT: '100000',
    DONATION_KEY_RATE_LIMIT: '100000',
    WEBHOOK_RATE_LIMIT: '100000',
    API_KEYS: JSON.stringify([
      { id: 'k1', name: 'admin', role: 'admin', sha256: hashApiKey(KEYS.admin) },
      { id: 'k2', name: 'finance', role: 'finance', sha256: hashApiKey(KEYS.finance) },
      {
        id: 'k3',
        name: 'staff A',
        role: 'office-staff',
        officeId: 'office-a',
        sha256: hashApiKey(KEYS.staffA),
      },
      {
        id: 'k4',
        name: 'staff B',
        role: 'office-staff',
        officeId: 'office-b',
        sha256: hashApiKey(KEYS.staffB),
      },
    ]),
    ...env,
  });
  const clock: { ms: number | null } = { ms: null };
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const service = createPaymentService({
    db,
    transport,
    namespace,
    logger,
    config,
    now: () => new Date(clock.ms ?? Date.now()),
  });
  await service.start();
  const tap = await tapTopic(transport, namespace + TOPICS.payment);
  const server: Server = await listen(service.app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const replicas: { server: Server; service: PaymentService }[] = [];
  stripe.webhookUrl = `${base}/webhooks/stripe`;
  paypal.webhookUrl = `${base}/webhooks/paypal`;
  const fundVersions = new Map<string, number>();
  const fund: World['fund'] = async (slug, status, options = {}) => {
    const version = options.version ?? (fundVersions.get(slug) ?? 0) + 1;
    fundVersions.set(slug, Math.max(version, fundVersions.get(slug) ?? 0));
    const event = createEvent(
      'ledger.fund-changed.v1',
      {
        slug,
        name: `Fund ${slug}`,
        status,
        restricted: true,
        version,
        changedAt: new Date().toISOString(),
      },
      { source: '/services/pledge-ledger' },
    );
    await transport.send([{ ...toKafkaRecord(event), topic: namespace + TOPICS.funds }]);
    if (options.wait === false) return event.id;
    await eventually(async () => {
      const row = await db.fund.findUnique({ where: { slug } });
      if (row?.version !== version)
        throw new Error(`payment has not seen fund ${slug} v${version}`);
    });
    return event.id;
  };
  // What the ledger announces at its first start: the campaign's fund takes gifts.
  await fund('specialist-training', 'open');

  return {
    base,
    db,
    stripe,
    paypal,
    service,
    tap,
    clock,
    async replica() {
      const other = createPaymentService({ db, transport, namespace, logger, config });
      await other.start();
      const otherServer: Server = await listen(other.app, 0, '127.0.0.1');
      replicas.push({ server: otherServer, service: other });
      return {
        base: `http://127.0.0.1:${(otherServer.address() as AddressInfo).port}`,
        service: other,
      };
    },
    async api(method, url, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      if (opts.key) headers.authorization = `Bearer ${KEYS[opts.key]}`;
      const res = await fetch(base + url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body, headers: res.headers };
    },
    fund,
    events(type, donationId) {
      return tap
        .events()
        .filter((e) => (!type || e.type === type) && (!donationId || e.subject === donationId));
    },
    async close() {
      for (const r of replicas) {
        await closeServer(r.server);
        await r.service.stop();
      }
      await closeServer(server);
      await service.stop();
      await tap.stop();
      await transport.close();
      await Promise.all([stripe.stop(), paypal.stop()]);
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** POSTs `payload` to the Stripe webhook with a genuine signature (dated `timestamp`, s). */
export function postSignedStripe(
  w: Pick<World, 'base' | 'stripe'>,
  payload: string,
  timestamp?: number,
): Promise<Response> {
  return fetch(`${w.base}/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: w.stripe.webhookSecret,
        timestamp,
      }),
    },
    body: payload,
  });
}

let keyCounter = 0;
export function idemKey(): string {
  keyCounter += 1;
  return `test-key-${Date.now()}-${keyCounter}-${Math.random().toString(36).slice(2)}`;
}

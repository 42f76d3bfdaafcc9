// Throughput of POST /webhooks/stripe on loopback, next to a bare express handler in the same
// run (same machine, same moment): signature verification + store + state change + outbox.
// Prints the statements sent to PostgreSQL per distinct event (db_statements_total), counted
// until every event is applied (the applier's work after the answer included).
//   npm run bench -w @bfi/payment      (PostgreSQL from PG_ADMIN_URL; Kafka if KAFKA_BROKERS)
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createPrisma, createTestDatabase } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { createTransportFromEnv } from '@bfi/messaging';
import { FakeStripe, type StripeEvent } from '@bfi/provider-fakes';
import express from 'express';
import pino from 'pino';
import { register } from 'prom-client';
import { loadPaymentConfig } from '../src/config';
import { PrismaClient } from '../src/db/repository';
import { createPaymentService } from '../src/service';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<Result>;

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 1500);

async function run(name: string, opts: Record<string, unknown>): Promise<[string, Result]> {
  const result = await autocannon({ connections: CONNECTIONS, ...opts });
  return [name, result];
}

/** The payment service on a fresh database, with the Stripe fake delivering to it. */
async function startService() {
  const logger = pino({ level: 'warn' });
  const database = await createTestDatabase({
    prefix: 'payment_bench',
    migrationsDir: path.join(__dirname, '..', 'src', 'db', 'migrations'),
  });
  const db = createPrisma(PrismaClient, database.url, { max: 10 });
  // What the ledger announces at its first start (no ledger runs here): the fund takes gifts.
  await db.fund.create({
    data: {
      slug: 'specialist-training',
      name: 'Specialist training',
      status: 'open',
      restricted: true,
      version: 1,
      changedAt: new Date(),
    },
  });
  const transport = createTransportFromEnv('payment-bench', logger);
  const stripe = new FakeStripe({ webhookSecret: 'whsec_bench' });
  await stripe.start();
  const config = loadPaymentConfig({
    DATABASE_URL: database.url,
    QR_SECRET: 'bench-secret-0123456789',
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_HOST: '127.0.0.1',
    STRIPE_API_PORT: String(stripe.port),
    STRIPE_API_PROTOCOL: 'http',
    PUBLIC_RATE_LIMIT: '100000000',
    WEBHOOK_RATE_LIMIT: '100000000',
  });
  const service = createPaymentService({
    db,
    transport,
    namespace: `bench${Date.now()}.`,
    logger,
    config,
  });
  await service.start();
  const server: Server = await listen(service.app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stripe.webhookUrl = `${base}/webhooks/stripe`;
  const stop = async () => {
    await closeServer(server);
    await service.stop();
    await transport.close();
    await stripe.stop();
    await db.$disconnect();
    await database.drop();
  };
  return { db, stripe, base, stop };
}

/** DISTINCT pending donations, each with its signed payment_intent.succeeded event (undelivered). */
async function prepareEvents(base: string, stripe: FakeStripe): Promise<StripeEvent[]> {
  console.log(`preparing ${DISTINCT} donations and their signed payment_intent.succeeded events…`);
  const events: StripeEvent[] = [];
  for (let i = 0; i < DISTINCT; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, DISTINCT - i) }, async (_, j) => {
        const res = await fetch(`${base}/donations`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': `bench-${i + j}-${Date.now()}`,
          },
          body: JSON.stringify({ amount: 1000 + j, currency: 'BYN', provider: 'stripe' }),
        });
        const body = (await res.json()) as { providerRefs: { checkoutSessionId: string } };
        const [, intent] = await stripe.pay(body.providerRefs.checkoutSessionId, {
          deliver: false,
        });
        return intent!;
      }),
    );
    events.push(...batch);
  }
  return events;
}

const post = (payload: string, signature: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  body: payload,
});

type Signed = { payload: string; signature: string };

/**
 * The three scenarios: a bare handler, duplicate deliveries, distinct events; and the
 * statements per distinct event, counted until `applied()` says they all took effect.
 */
async function measure(
  base: string,
  bareUrl: string,
  signed: Signed[],
  applied: () => Promise<unknown>,
): Promise<{ results: [string, Result][]; perEvent: number }> {
  const dup = signed[0]!;
  await fetch(`${base}/webhooks/stripe`, post(dup.payload, dup.signature));
  const results: [string, Result][] = [];
  results.push(
    await run('bare express handler (JSON body, no work)', {
      url: bareUrl,
      duration: DURATION,
      ...post(dup.payload, dup.signature),
    }),
  );
  results.push(
    await run('/webhooks/stripe, duplicate deliveries of one event', {
      url: `${base}/webhooks/stripe`,
      duration: DURATION,
      ...post(dup.payload, dup.signature),
    }),
  );
  let next = 1;
  const before = await statementsSent();
  results.push(
    await run(
      `/webhooks/stripe, ${signed.length - 1} distinct events (state change + outbox + Stripe API call for the fee)`,
      {
        url: `${base}/webhooks/stripe`,
        amount: signed.length - 1,
        requests: [
          {
            method: 'POST',
            setupRequest: (req: Record<string, unknown>) => {
              const s = signed[next++ % signed.length]!;
              return { ...req, ...post(s.payload, s.signature) };
            },
          },
        ],
      },
    ),
  );
  await applied();
  return { results, perEvent: ((await statementsSent()) - before) / (signed.length - 1) };
}

/** Statements this process sent to PostgreSQL so far (db_statements_total of @bfi/db). */
async function statementsSent(): Promise<number> {
  const metric = register.getSingleMetric('db_statements_total');
  return metric ? ((await metric.get()).values[0]?.value ?? 0) : 0;
}

/** Waits until `count()` reaches `expected` or stops growing for 3 s (answers may be queued). */
async function settled(count: () => Promise<number>, expected: number): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const now = await count();
    if (now >= expected) return now;
    if (now !== last) [last, stableSince] = [now, Date.now()];
    else if (Date.now() - stableSince > 3000) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function print(results: [string, Result][], succeeded: number, perEvent: number): void {
  console.log(
    `\nPOST /webhooks/stripe on loopback, ${CONNECTIONS} connections, ${new Date().toISOString()}`,
  );
  console.log(
    'scenario'.padEnd(100),
    'req/s'.padStart(8),
    'p50 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'non2xx'.padStart(7),
  );
  for (const [name, r] of results) {
    console.log(
      name.padEnd(100),
      r.requests.average.toFixed(0).padStart(8),
      String(r.latency.p50).padStart(8),
      String(r.latency.p99).padStart(8),
      String(r.non2xx + r.errors).padStart(7),
    );
  }
  console.log(
    `donations succeeded after the run: ${succeeded} of ${DISTINCT} (expected ${DISTINCT})`,
  );
  console.log(`statements per distinct event (until applied): ${perEvent.toFixed(2)}`);
}

async function main(): Promise<void> {
  const { db, stripe, base, stop } = await startService();
  const bare = express();
  bare.use(express.json());
  bare.post('/webhooks/stripe', (_req, res) => {
    res.json({ received: true });
  });
  const bareServer: Server = await listen(bare, 0, '127.0.0.1');
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/webhooks/stripe`;
  const signed = (await prepareEvents(base, stripe)).map((e) => stripe.sign(e));
  const succeeded = () => db.donation.count({ where: { status: 'succeeded' } });
  const { results, perEvent } = await measure(base, bareUrl, signed, () =>
    settled(succeeded, DISTINCT),
  );
  print(results, await succeeded(), perEvent);
  await closeServer(bareServer);
  await stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

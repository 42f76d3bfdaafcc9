// Past capacity payment refuses new work before any side effect: a gift past the bound of
// POST /donations is answered 503 + Retry-After before the provider is asked for a checkout,
// and a database that cannot be reached answers 503 + Retry-After, never 500 (issue #14).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrisma } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { testKafka } from '@bfi/testing';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { PrismaClient } from '../src/db/repository';
import { createPaymentService } from '../src/service';
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld({ SHED_DONATIONS_MAX_IN_FLIGHT: '1', SHED_RETRY_AFTER_SECONDS: '4' });
});
afterAll(async () => {
  await w?.close();
});

const checkouts = () =>
  w.stripe.calls.filter((c) => c.method === 'POST' && c.path === '/v1/checkout/sessions').length;

const give = (amount: number) =>
  w.api('POST', '/donations', {
    body: { amount, currency: 'BYN', provider: 'stripe' },
    headers: { 'idempotency-key': idemKey() },
  });

/** Sessions of the service waiting for a lock (the gift held at its first insert). */
async function lockWaiters(): Promise<number> {
  const rows = await w.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return Number(rows[0]!.n);
}

test('a gift past the bound of POST /donations is refused with 503 before the provider sees a checkout', async () => {
  // The first gift really holds its slot: its insert waits behind a lock this test holds.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holder = w.db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE idempotency_key IN EXCLUSIVE MODE');
      locked();
      await released;
    },
    { timeout: 30_000 },
  );
  await isLocked;
  const first = give(1500);
  while ((await lockWaiters()) === 0) await new Promise((r) => setTimeout(r, 20));

  const refused = await give(1600);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.headers.get('retry-after')).toBe('4');
  expect(refused.body).toMatchObject({ status: 503, code: 'overloaded' });
  expect(refused.body.detail).toMatch(/Nothing was done.*try again in 4 seconds/);
  // Refused before anything: no checkout asked for, no donation stored.
  expect(checkouts()).toBe(0);
  expect(await w.db.donation.count({ where: { amountMinor: 1600n } })).toBe(0);

  release();
  await holder;
  expect((await first).status).toBe(201);
  expect(checkouts()).toBe(1);
  // The slot is free again: the next donor gives.
  expect((await give(1700)).status).toBe(201);
  expect(checkouts()).toBe(2);
});

test('a database out of reach answers 503 problem+json with Retry-After, not 500', async () => {
  const unreachable = createPrisma(PrismaClient, 'postgresql://postgres@127.0.0.1:1/payment', {
    max: 1,
    connectionTimeoutMillis: 2000,
  });
  const { transport } = testKafka('payment-unreachable');
  const service = createPaymentService({
    db: unreachable,
    transport,
    logger: pino({ level: 'silent' }),
    config: w.service.deps.config,
  });
  const server: Server = await listen(service.app, 0, '127.0.0.1');
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${base}/donations/${randomUUID()}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ status: 503, code: 'database-unavailable' });
  } finally {
    await closeServer(server);
    await transport.close();
    await unreachable.$disconnect();
  }
});

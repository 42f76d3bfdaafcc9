// One isolated world per test file: its own PostgreSQL database (our migrations applied), its
// own topic namespace on the real Kafka broker, and the service listening on a free port.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createPrisma, createTestDatabase, type TestDatabase } from '@bfi/db';
import { createEvent, serializeEvent, TOPICS, type AnyEvent, type EventOf } from '@bfi/events';
import {
  deriveDonorSecret,
  generateApiKey,
  hashApiKey,
  hashDonorSecret,
  type ApiKeyRecord,
} from '@bfi/http';
import { testKafka, tapTopic, type Tap } from '@bfi/testing';
import type { Transport, TransportMessage } from '@bfi/messaging';
import pino from 'pino';
import { PrismaClient, type Db } from '../src/db/client';
import { createLedgerConsumer } from '../src/events/ledger-consumer';
import { createRewardService, type RewardService } from '../src/service';

export const migrationsDir = path.join(__dirname, '..', 'src', 'db', 'migrations');
export const OFFICE_A = 'minsk-nezavisimosti-10';
export const OFFICE_B = 'gomel-sovetskaya-21';

/**
 * The donor secret payment would have given the donor of `donationId` (donationPosted carries
 * its hash). world.call acts as that donor's device on /rewards/by-donation/:id — it sends the
 * secret — so tests read the full code the way the thank-you page does; the tests of the
 * secret itself (donor-secret.test.ts) send what they mean with plain fetch.
 */
export function testDonorSecret(donationId: string): string {
  return deriveDonorSecret('reward-test-server-key', donationId);
}

function donorHeaders(url: string): Record<string, string> {
  const id = /^\/rewards\/by-donation\/([0-9a-f-]{36})/.exec(url)?.[1];
  return id ? { 'x-donor-secret': testDonorSecret(id) } : {};
}

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

function keyRecord(id: string, role: ApiKeyRecord['role'], name: string, officeId?: string) {
  const key = generateApiKey();
  return { key, record: { id, name, role, officeId, sha256: hashApiKey(key) } as ApiKeyRecord };
}

/** An HTTP reply; the body's shape is what the assertions check, so it is left untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
export type Reply = { status: number; body: Json; headers: Headers; raw: Buffer };

export interface World {
  db: Db;
  database: TestDatabase;
  transport: Transport;
  namespace: string;
  service: RewardService;
  baseUrl: string;
  keys: { admin: string; staffA: string; staffB: string; finance: string };
  clock: { now: Date; advanceDays(days: number): void };
  ledgerTopic: string;
  rewardTopic: string;
  /** Publishes ledger events on the real broker, as pledge-ledger's relay would. */
  publish(events: AnyEvent[]): Promise<void>;
  tapRewards(): Promise<Tap>;
  /** HTTP call to the running service; JSON in, JSON (or raw) out. */
  call(method: string, url: string, key?: string, body?: unknown): Promise<Reply>;
  /** Applies one ledger event directly (no broker) through a fresh inbox consumer: for concurrency tests. */
  applyDirect(event: AnyEvent): Promise<string>;
  close(): Promise<void>;
}

export async function openWorld(options: { pool?: number } = {}): Promise<World> {
  const database = await createTestDatabase({ prefix: 'reward', migrationsDir });
  const db = createPrisma(PrismaClient, database.url, { max: options.pool ?? 20 });
  const { transport, namespace } = testKafka('reward-test');
  const admin = keyRecord('k-admin', 'admin', 'Admin');
  const staffA = keyRecord('k-a', 'office-staff', 'Alesia (Minsk)', OFFICE_A);
  const staffB = keyRecord('k-b', 'office-staff', 'Pavel (Gomel)', OFFICE_B);
  const finance = keyRecord('k-f', 'finance', 'Finance');
  const clock = {
    now: new Date(),
    advanceDays(days: number) {
      clock.now = new Date(clock.now.getTime() + days * 86_400_000);
    },
  };
  const service = createRewardService({
    db,
    transport,
    namespace,
    logger,
    relayPollMs: 50,
    clock: () => clock.now,
    config: {
      apiKeys: [admin.record, staffA.record, staffB.record, finance.record],
      settings: {
        claimCodeTtlDays: 30,
        publicBaseUrl: 'http://reward.test',
        digitalPackUrl: 'https://stickers.test/packs/{code}',
      },
    },
  });
  await service.start();
  const server: Server = await new Promise((resolve) => {
    const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ledgerTopic = namespace + TOPICS.ledger;
  const rewardTopic = namespace + TOPICS.reward;
  const taps: Tap[] = [];
  const directConsumer = createLedgerConsumer(service.context, transport, logger);

  return {
    db,
    database,
    transport,
    namespace,
    service,
    baseUrl,
    keys: { admin: admin.key, staffA: staffA.key, staffB: staffB.key, finance: finance.key },
    clock,
    ledgerTopic,
    rewardTopic,
    async publish(events) {
      await transport.send(
        events.map((e) => ({ topic: ledgerTopic, key: e.subject, value: serializeEvent(e) })),
      );
    },
    async tapRewards() {
      const tap = await tapTopic(transport, rewardTopic);
      taps.push(tap);
      return tap;
    },
    async call(method, url, key, body) {
      const res = await fetch(baseUrl + url, {
        method,
        headers: {
          ...donorHeaders(url),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const raw = Buffer.from(await res.arrayBuffer());
      const type = res.headers.get('content-type') ?? '';
      const parsed =
        type.includes('json') && raw.length > 0
          ? JSON.parse(raw.toString('utf8'))
          : raw.toString('utf8');
      return { status: res.status, body: parsed, headers: res.headers, raw };
    },
    async applyDirect(event) {
      const message: TransportMessage = {
        topic: ledgerTopic,
        partition: 0,
        offset: '0',
        key: event.subject,
        value: serializeEvent(event),
        headers: {},
      };
      return directConsumer.handle(message);
    },
    async close() {
      await Promise.all(taps.map((t) => t.stop()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await service.stop();
      await transport.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}

export function donationPosted(
  overrides: Partial<EventOf<'ledger.donation-posted.v1'>['data']> = {},
  time?: Date,
): EventOf<'ledger.donation-posted.v1'> {
  const donationId = overrides.donationId ?? randomUUID();
  const channel = overrides.channel ?? 'office';
  return createEvent(
    'ledger.donation-posted.v1',
    {
      donationId,
      journalEntryId: randomUUID(),
      fund: 'specialist-training',
      channel,
      officeId: channel === 'office' ? OFFICE_A : null,
      gross: { minor: 2500, currency: 'BYN' },
      donorSecretHash: hashDonorSecret(testDonorSecret(donationId)),
      ...overrides,
    },
    { source: '/services/pledge-ledger', time },
  );
}

export function donationReversed(
  posted: EventOf<'ledger.donation-posted.v1'>,
  overrides: Partial<EventOf<'ledger.donation-reversed.v1'>['data']> = {},
): EventOf<'ledger.donation-reversed.v1'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- not part of a reversal
  const { gross, donorSecretHash, ...rest } = posted.data;
  return createEvent(
    'ledger.donation-reversed.v1',
    {
      ...rest,
      journalEntryId: randomUUID(),
      amount: gross,
      reason: 'refund',
      fullyReversed: true,
      ...overrides,
    },
    { source: '/services/pledge-ledger' },
  );
}

export const OFFICE_PHYSICAL_RULE = {
  campaign: '#BullyingFreeInternet',
  channel: 'office',
  kind: 'physical-sticker-pack',
  outOfStock: 'wait-for-stock',
  priority: 10,
  activeFrom: '2020-01-01T00:00:00Z',
  minimums: { BYN: 1000, USD: 500 },
};

export const ONLINE_DIGITAL_RULE = {
  campaign: '#BullyingFreeInternet',
  channel: 'online',
  kind: 'digital-sticker-pack',
  activeFrom: '2020-01-01T00:00:00Z',
  minimums: { BYN: 500 },
};

/** Creates rules and (optionally) stock through the admin and staff APIs. */
export async function arrange(
  world: World,
  setup: { rules?: object[]; stockA?: number; stockB?: number },
) {
  for (const rule of setup.rules ?? []) {
    const res = await world.call('POST', '/admin/rules', world.keys.admin, rule);
    if (res.status !== 201)
      throw new Error(`rule not created: ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (setup.stockA)
    await world.call('POST', `/offices/${OFFICE_A}/stock/deliveries`, world.keys.staffA, {
      quantity: setup.stockA,
    });
  if (setup.stockB)
    await world.call('POST', `/offices/${OFFICE_B}/stock/deliveries`, world.keys.staffB, {
      quantity: setup.stockB,
    });
}

export async function stockOf(world: World, officeId: string) {
  const row = await world.db.officeStock.findUnique({ where: { officeId } });
  const sums = await world.db.stockMovement.aggregate({
    where: { officeId },
    _sum: { availableDelta: true, reservedDelta: true },
  });
  return {
    available: row?.available ?? 0,
    reserved: row?.reserved ?? 0,
    ledgerAvailable: sums._sum.availableDelta ?? 0,
    ledgerReserved: sums._sum.reservedDelta ?? 0,
  };
}

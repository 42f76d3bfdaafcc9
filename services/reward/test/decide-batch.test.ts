// The set-based path (a chunk of ledger events in one transaction) gives exactly what one
// transaction per event gives: decisions, rewards, stock and outbox events — duplicates, an
// office out of stock falling back to digital, a waiting list, no-reward, a reversal mid-chunk.
import { randomUUID } from 'node:crypto';
import { createPrisma, createTestDatabase, type TestDatabase } from '@bfi/db';
import type { AnyEvent } from '@bfi/events';
import { PrismaClient, type Db } from '../src/db/client';
import { moveStock } from '../src/db/stock-repo';
import type { RewardContext } from '../src/app/context';
import { decideReward } from '../src/app/decide';
import { revokeReward } from '../src/app/revoke';
import { ledgerBatchHandler } from '../src/events/ledger-consumer';
import {
  donationPosted,
  donationReversed,
  logger,
  migrationsDir,
  OFFICE_A,
  OFFICE_B,
} from './harness';

const NOW = new Date('2026-06-01T10:00:00Z');
const RULES = [
  {
    id: randomUUID(),
    channel: 'office',
    fund: null,
    kind: 'physical-sticker-pack',
    outOfStock: 'wait-for-stock',
    priority: 10,
    minimums: { BYN: 1000 },
  },
  {
    id: randomUUID(),
    channel: 'office',
    fund: 'fallback-fund',
    kind: 'physical-sticker-pack',
    outOfStock: 'digital-fallback',
    priority: 20,
    minimums: { BYN: 1000 },
  },
  {
    id: randomUUID(),
    channel: 'online',
    fund: null,
    kind: 'digital-sticker-pack',
    outOfStock: 'wait-for-stock',
    priority: 0,
    minimums: { BYN: 500 },
  },
];

interface Side {
  database: TestDatabase;
  db: Db;
  ctx: RewardContext;
}

async function side(): Promise<Side> {
  const database = await createTestDatabase({ prefix: 'rewardbatch', migrationsDir });
  const db = createPrisma(PrismaClient, database.url, { max: 4 });
  for (const { minimums, ...rule } of RULES) {
    await db.rewardRule.create({
      data: {
        ...rule,
        campaign: 'c',
        activeFrom: new Date('2020-01-01T00:00:00Z'),
        createdAt: new Date('2020-01-01T00:00:00Z'),
        minimums: {
          create: Object.entries(minimums).map(([currency, minor]) => ({
            currency,
            minor: BigInt(minor),
          })),
        },
      },
    });
  }
  await db.$transaction(async (tx) => {
    const base = { kind: 'delivery' as const, reservedDelta: 0, actor: 't' };
    await moveStock(tx, { ...base, officeId: OFFICE_A, availableDelta: 2 });
    await moveStock(tx, { ...base, officeId: OFFICE_B, availableDelta: 1 });
  });
  const ctx: RewardContext = {
    db,
    namespace: '',
    clock: () => NOW,
    settings: { claimCodeTtlDays: 30, publicBaseUrl: 'http://r.test', digitalPackUrl: 'x{code}' },
    nudge: () => {},
  };
  return { database, db, ctx };
}

async function perEvent(s: Side, events: AnyEvent[]) {
  for (const e of events) {
    await s.db.$transaction(async (tx) => {
      if (e.type === 'ledger.donation-posted.v1') await decideReward(s.ctx, tx, e);
      if (e.type === 'ledger.donation-reversed.v1') await revokeReward(s.ctx, tx, e);
    });
  }
}

async function asChunk(s: Side, events: AnyEvent[]) {
  await s.db.$transaction((tx) => ledgerBatchHandler(s.ctx, logger)(events, tx, (_e, fn) => fn()));
}

/** Everything a decision leaves, without generated ids, codes and write times. */
async function snapshot(db: Db) {
  const decisions = await db.decision.findMany({ orderBy: { donationId: 'asc' } });
  const rewards = await db.reward.findMany({ orderBy: { donationId: 'asc' } });
  const byId = new Map(rewards.map((r) => [r.id, r.donationId]));
  const movements = await db.stockMovement.findMany({ orderBy: { id: 'asc' } });
  const outbox = await db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return {
    decisions: decisions.map((d) => ({ ...d, decidedAt: undefined })),
    rewards: rewards.map((r) => ({
      ...r,
      id: undefined,
      claimCode: r.claimCode.length,
      createdAt: undefined,
      updatedAt: undefined,
    })),
    stock: await db.officeStock.findMany({
      orderBy: { officeId: 'asc' },
      select: { officeId: true, available: true, reserved: true },
    }),
    movements: movements.map((m) => ({
      ...m,
      id: undefined,
      createdAt: undefined,
      rewardId: m.rewardId && byId.get(m.rewardId),
    })),
    outbox: outbox.map((o) => {
      const e = JSON.parse(o.payload) as AnyEvent & { data: { rewardId?: string } };
      return {
        topic: o.topic,
        type: o.type,
        key: o.key,
        data: { ...e.data, rewardId: byId.get(e.data.rewardId ?? '') },
      };
    }),
  };
}

let old: Side;
let set: Side;
beforeAll(async () => {
  [old, set] = await Promise.all([side(), side()]);
});
afterAll(async () => {
  for (const s of [old, set]) {
    await s?.db.$disconnect();
    await s?.database.drop();
  }
});

it('a chunk decides exactly as one transaction per event, and a redelivered chunk changes nothing', async () => {
  const at = new Date('2026-05-01T00:00:00Z');
  const office = (o: object) => donationPosted({ officeId: OFFICE_A, ...o }, at);
  const earlier = office({});
  const chunk1: AnyEvent[] = [earlier];
  const a = [office({}), office({}), office({}), office({})]; // stock 2: two reserved, two wait
  const fb = [
    office({ officeId: OFFICE_B, fund: 'fallback-fund' }),
    office({ officeId: OFFICE_B, fund: 'fallback-fund' }),
  ];
  const online = donationPosted(
    { channel: 'online', officeId: null, gross: { minor: 700, currency: 'BYN' } },
    at,
  );
  const small = office({ gross: { minor: 999, currency: 'BYN' } });
  const usd = office({ gross: { minor: 5000, currency: 'USD' } });
  const again = { ...a[0]!, id: randomUUID() }; // same donation, new event id, same chunk
  const before = { ...earlier, id: randomUUID() }; // decided in an earlier chunk
  const chunk2: AnyEvent[] = [
    a[0]!,
    fb[0]!,
    a[1]!,
    online,
    again,
    small,
    donationReversed(a[1]!),
    a[2]!,
    fb[1]!,
    usd,
    before,
    a[3]!,
  ];
  await perEvent(old, chunk1);
  await asChunk(set, chunk1);
  await perEvent(old, chunk2);
  await asChunk(set, chunk2);
  const expected = await snapshot(old.db);
  expect(await snapshot(set.db)).toEqual(expected);
  // What the scenario is meant to cover really happened.
  const statuses = expected.rewards.map((r) => `${r.kind}/${r.status}/${r.fallback}`).sort();
  expect(statuses).toEqual(
    expect.arrayContaining([
      'physical-sticker-pack/waiting-list/false',
      'digital-sticker-pack/available/true',
      'physical-sticker-pack/revoked/false',
      'digital-sticker-pack/available/false',
    ]),
  );
  expect(expected.decisions.filter((d) => d.outcome === 'no-reward')).toHaveLength(2);

  const postings = chunk2.filter((e) => e.type === 'ledger.donation-posted.v1');
  await asChunk(set, postings);
  expect(await snapshot(set.db)).toEqual(expected);
});

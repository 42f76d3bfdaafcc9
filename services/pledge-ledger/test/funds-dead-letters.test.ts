import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { TOPICS, type AnyEvent } from '@bfi/events';
import { closeServer, listen } from '@bfi/http';
import { eventually, tapTopic, testLogger, type Tap } from '@bfi/testing';
import request from 'supertest';
import { createPledgeLedgerService } from '../src/service';
import {
  apiKeys,
  DonationEvents,
  FINANCE_KEY,
  linesOf,
  money,
  openWorld,
  STAFF_KEY,
  type World,
} from './helpers';

// Funds are announced on ledger.funds (payment's source of truth for which funds take gifts), and
// dead letters of every consumer can be listed and replayed — on the real broker and database.

let world: World;
let fundsTap: Tap;
const finance = { authorization: `Bearer ${FINANCE_KEY}` };

beforeAll(async () => {
  world = await openWorld('ledger_funds_dlq');
  fundsTap = await tapTopic(world.transport, world.namespace + TOPICS.funds);
});

afterAll(async () => {
  await fundsTap?.stop();
  await world?.close();
});

type FundEvent = Extract<AnyEvent, { type: 'ledger.fund-changed.v1' }>;
const fundEvents = (slug?: string) =>
  fundsTap
    .events()
    .filter((e): e is FundEvent => e.type === 'ledger.fund-changed.v1')
    .filter((e) => !slug || e.subject === slug);

describe('funds on ledger.funds', () => {
  it('announces the funds the migrations seeded at start, once (a restart announces nothing new)', async () => {
    await eventually(() =>
      expect(
        fundEvents()
          .map((e) => [e.data.slug, e.data.status, e.data.version])
          .sort(),
      ).toEqual([
        ['general', 'open', 1],
        ['specialist-training', 'open', 1],
      ]),
    );
    const again = createPledgeLedgerService({
      db: world.db,
      transport: world.transport,
      namespace: world.namespace,
      logger: testLogger,
      config: { apiKeys },
    });
    // A second replica's start: the funds are already announced, so no event is written.
    await again.start();
    await again.stop();
    expect(await world.service.relay.pending()).toBe(0);
    expect(fundEvents()).toHaveLength(2);
  });

  it('announces a fund finance creates, closes and reopens, each with the next version', async () => {
    const body = {
      slug: 'safe-schools',
      name: 'Safe schools',
      restricted: true,
      feePolicy: 'fund',
    };
    const created = await request(world.service.app).post('/funds').set(finance).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', version: 1 });
    const closed = await request(world.service.app)
      .patch('/funds/safe-schools')
      .set(finance)
      .send({ status: 'closed' });
    expect(closed.body).toMatchObject({ slug: 'safe-schools', status: 'closed', version: 2 });
    await request(world.service.app)
      .patch('/funds/safe-schools')
      .set(finance)
      .send({ status: 'open' });
    await eventually(() =>
      expect(fundEvents('safe-schools').map((e) => [e.data.status, e.data.version])).toEqual([
        ['open', 1],
        ['closed', 2],
        ['open', 3],
      ]),
    );
    const funds = await request(world.service.app).get('/funds').set(finance);
    expect(funds.body.funds).toContainEqual(
      expect.objectContaining({ slug: 'safe-schools', status: 'open' }),
    );
  });

  it('answers 404 for an unknown fund and 400 for an unknown status, announcing nothing', async () => {
    const before = fundEvents().length;
    const unknown = await request(world.service.app)
      .patch('/funds/no-such-fund')
      .set(finance)
      .send({ status: 'closed' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/There is no fund "no-such-fund"/);
    const bad = await request(world.service.app)
      .patch('/funds/general')
      .set(finance)
      .send({ status: 'archived' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/must be "open" \(takes new gifts\) or "closed"/);
    expect(await world.service.relay.pending()).toBe(0);
    expect(fundEvents()).toHaveLength(before);
  });

  it('still books a gift charged to a fund that was closed after the gift was accepted', async () => {
    await request(world.service.app).post('/funds').set(finance).send({
      slug: 'closing-soon',
      name: 'Closing soon',
      restricted: true,
      feePolicy: 'fund',
    });
    await request(world.service.app)
      .patch('/funds/closing-soon')
      .set(finance)
      .send({ status: 'closed' });
    const gift = new DonationEvents({ fund: 'closing-soon', gross: money(4200) });
    await world.publish([gift.succeeded()]);
    await eventually(async () =>
      expect((await linesOf(world.db, gift.donationId)).map((l) => l.amount)).toEqual([
        4200, -4200,
      ]),
    );
  });
});

describe('dead letters: list and replay', () => {
  const letters = async () =>
    (await request(world.service.app).get('/dead-letters').set(finance)).body.deadLetters as {
      id: string;
      reason: string;
      error: string;
      consumer: string;
      source: string;
      topic: string;
      event: { id: string; type: string; subject: string };
      replayedAt: string | null;
    }[];
  const totals = async (fund: string) =>
    (await request(world.service.app).get(`/funds/${fund}/totals`).set(finance)).body.rows;

  it('a gift to a missing fund is dead-lettered; once the fund exists a replay books it exactly once', async () => {
    const gift = new DonationEvents({ fund: 'late-fund', gross: money(2500) });
    const event = gift.succeeded();
    await world.publish([event]);
    const [letter] = await eventually(async () => {
      const list = (await letters()).filter((l) => l.event.id === event.id);
      expect(list).toHaveLength(1);
      return list;
    });
    expect(letter).toMatchObject({
      reason: 'refused',
      consumer: `${world.namespace}pledge-ledger`,
      topic: world.namespace + TOPICS.payment,
      event: { type: 'payment.succeeded.v1', subject: gift.donationId },
      replayedAt: null,
    });
    expect(letter!.source).toMatch(new RegExp(`^${world.namespace}payment\\.events/\\d+/\\d+$`));
    expect(letter!.error).toContain('POST /dead-letters/replay');
    expect(letter!.error).toContain('npm run dead-letters -w @bfi/pledge-ledger -- replay');

    await request(world.service.app).post('/funds').set(finance).send({
      slug: 'late-fund',
      name: 'Late fund',
      restricted: true,
      feePolicy: 'fund',
    });
    const replay = await request(world.service.app)
      .post('/dead-letters/replay')
      .set(finance)
      .send({ id: letter!.id });
    expect(replay.status).toBe(200);
    expect(replay.body.replayed.map((l: { id: string }) => l.id)).toEqual([letter!.id]);
    await eventually(async () =>
      expect(await totals('late-fund')).toEqual([
        expect.objectContaining({ currency: 'BYN', gross: 2500, count: 1 }),
      ]),
    );

    // Again (all, then this one): the inbox absorbs it, the books do not move.
    const all = await request(world.service.app)
      .post('/dead-letters/replay')
      .set(finance)
      .send({ all: true });
    expect(all.body.replayed.map((l: { id: string }) => l.id)).not.toContain(letter!.id);
    await request(world.service.app)
      .post('/dead-letters/replay')
      .set(finance)
      .send({ id: letter!.id });
    const marker = new DonationEvents({ fund: 'late-fund', gross: money(100) });
    await world.publish([marker.succeeded()]);
    await eventually(async () =>
      expect((await linesOf(world.db, marker.donationId)).length).toBe(2),
    );
    expect((await linesOf(world.db, gift.donationId)).map((l) => l.amount)).toEqual([2500, -2500]);
    expect(await totals('late-fund')).toEqual([
      expect.objectContaining({ currency: 'BYN', gross: 2600, count: 2 }),
    ]);
    expect((await letters()).find((l) => l.id === letter!.id)?.replayedAt).not.toBeNull();
  });

  it('a parked event refused on replay is evaluated again when replayed, not taken for a duplicate', async () => {
    const d = new DonationEvents({ gross: money(1000) });
    const tooMuch = d.refunded('re_parked_dlq', 1200 - 200, 1000);
    await world.publish([d.refunded('re_parked_first', 500, 500), tooMuch]);
    await eventually(async () =>
      expect(await world.db.parkedEvent.count({ where: { donationId: d.donationId } })).toBe(2),
    );
    await world.publish([d.succeeded()]);
    const [letter] = await eventually(async () => {
      const list = (await letters()).filter((l) => l.event.id === tooMuch.id);
      expect(list).toHaveLength(1);
      return list;
    });
    expect(letter!.source).toMatch(/^parked_event\//);
    await request(world.service.app)
      .post('/dead-letters/replay')
      .set(finance)
      .send({ id: letter!.id });
    // Still more than what is left: refused again by the consumer, so a second letter appears.
    const again = await eventually(async () => {
      const list = (await letters()).filter((l) => l.event.id === tooMuch.id);
      expect(list).toHaveLength(2);
      return list.find((l) => l.id !== letter!.id)!;
    });
    expect(again).toMatchObject({ reason: 'refused', replayedAt: null });
    expect(again.error).toMatch(/re_parked_dlq of 1000 exceeds what is left/);
    expect((await linesOf(world.db, d.donationId)).map((l) => l.amount)).toEqual([
      1000, -1000, 500, -500,
    ]);
  });

  it('lists and replays through the CLI (HTTP, finance key)', async () => {
    const server: Server = await listen(world.service.app, 0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const cli = path.join(__dirname, '..', 'src', 'cli', 'dead-letters.ts');
      const run = (...args: string[]) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], {
          env: { ...process.env, LEDGER_URL: url, API_KEY: FINANCE_KEY },
        });
      const listed = await run('list');
      const all = await letters();
      for (const l of all) expect(listed.stdout).toContain(l.id);
      const fresh = all.filter((l) => l.replayedAt === null).length;
      const replayed = await run('replay', '--all');
      expect(replayed.stderr).toContain(`${fresh} replayed, ${all.length - fresh} left out`);
      await expect(run('replay', 'payment.events.dlq/0/99999')).rejects.toMatchObject({
        stderr: expect.stringContaining('404: There is no dead letter'),
      });
    } finally {
      await closeServer(server);
    }
  });

  it('is for finance and admin only, and refuses an id that is not a dead letter', async () => {
    const staff = { authorization: `Bearer ${STAFF_KEY}` };
    expect((await request(world.service.app).get('/dead-letters').set(staff)).status).toBe(403);
    const bad = await request(world.service.app)
      .post('/dead-letters/replay')
      .set(finance)
      .send({ id: 'payment.events/0/1' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(
      /id: must be the id of a dead letter as GET \/dead-letters lists it/,
    );
  });
});

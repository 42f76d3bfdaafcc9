import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyEvent } from '@bfi/events';
import { InProcessTransport } from '@bfi/messaging';
import type { TestDatabase } from '@bfi/db';
import { testLogger } from '@bfi/testing';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, DonationEvents, FINANCE_KEY, money, openDb, STAFF_KEY } from './helpers';

// The HTTP API over a real database. Postings go through the consumer's apply function (the
// broker path is covered by ledger-kafka.test.ts); no consumer is started here.

let database: TestDatabase;
let db: Db;
let app: ReturnType<typeof createPledgeLedgerService>['app'];
const finance = { authorization: `Bearer ${FINANCE_KEY}` };

const post = (events: AnyEvent[]) =>
  events.reduce(
    (p, e) =>
      p.then(() =>
        db
          .$transaction((tx) => applyPaymentEvent(tx, e as PaymentEvent, { namespace: 'http.' }))
          .then(() => undefined),
      ),
    Promise.resolve(),
  );

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_http'));
  app = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys, campaignPollMs: 50 },
  }).app;
});

afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

describe('funds', () => {
  it('lists the seeded funds and lets finance add one', async () => {
    const list = await request(app).get('/funds').set(finance).expect(200);
    expect(list.body.funds.map((f: { slug: string }) => f.slug)).toEqual([
      'specialist-training',
      'general',
    ]);
    expect(list.body.funds[0]).toMatchObject({ restricted: true, feePolicy: 'fund' });

    const body = {
      slug: 'helpline',
      name: 'Child helpline 8 800 100 16 11',
      restricted: true,
      feePolicy: 'general',
    };
    const created = await request(app).post('/funds').set(finance).send(body).expect(201);
    expect(created.headers.location).toBe('/funds/helpline');
    await request(app).post('/funds').set(finance).send(body).expect(409);
    const after = await request(app).get('/funds').set(finance).expect(200);
    expect(after.body.funds.map((f: { slug: string }) => f.slug)).toContain('helpline');
  });

  it('refuses bad input with a problem naming each field, and changes nothing', async () => {
    const res = await request(app)
      .post('/funds')
      .set(finance)
      .send({ slug: 'Bad Slug', name: '', restricted: 'yes', feePolicy: 'donor' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'feePolicy',
      'name',
      'restricted',
      'slug',
    ]);
    expect(res.body.detail).toMatch(
      /feePolicy: must be "fund" \(the fund bears its processor fees\) or "general"/,
    );
    expect(await db.fund.count()).toBe(3);
  });

  it('needs a finance key: 401 without, 403 for office staff', async () => {
    const none = await request(app).get('/funds').expect(401);
    expect(none.body.detail).toMatch(/API key is required/);
    const staff = await request(app)
      .get('/funds')
      .set('authorization', `Bearer ${STAFF_KEY}`)
      .expect(403);
    expect(staff.body.detail).toMatch(/needs the finance role; you have office-staff/);
    await request(app)
      .post('/funds')
      .set('authorization', `Bearer ${STAFF_KEY}`)
      .send({})
      .expect(403);
  });
});

describe('totals, journal and campaign', () => {
  const day1 = new DonationEvents({
    gross: money(10000),
    fee: money(300),
    occurredAt: '2025-03-01T09:00:00.000Z',
  });
  const day2office = new DonationEvents({
    channel: 'office',
    officeId: 'grodno-2',
    gross: money(4000),
    occurredAt: '2025-03-02T12:00:00.000Z',
  });
  const day2 = new DonationEvents({ gross: money(2000), occurredAt: '2025-03-02T18:30:00.000Z' });
  const general = new DonationEvents({
    fund: 'general',
    gross: money(700, 'USD'),
    occurredAt: '2025-03-03T08:00:00.000Z',
  });

  beforeAll(async () => {
    await post([
      day1.succeeded(),
      day2office.succeeded(),
      day2.succeeded(),
      day2.refunded('re_h', 500, 500),
      general.succeeded(),
    ]);
  });

  it('groups fund totals by day, office and channel, within from/to', async () => {
    const byDay = await request(app)
      .get('/funds/specialist-training/totals?groupBy=day')
      .set(finance)
      .expect(200);
    expect(byDay.body.rows).toEqual([
      expect.objectContaining({
        group: '2025-03-01',
        currency: 'BYN',
        gross: 10000,
        fees: 300,
        refunds: 0,
        net: 9700,
        count: 1,
      }),
      expect.objectContaining({
        group: '2025-03-02',
        currency: 'BYN',
        gross: 6000,
        fees: 0,
        refunds: 500,
        net: 5500,
        count: 2,
      }),
    ]);
    const byOffice = await request(app)
      .get('/funds/specialist-training/totals?groupBy=office')
      .set(finance)
      .expect(200);
    expect(byOffice.body.rows).toEqual([
      expect.objectContaining({ group: null, gross: 12000, refunds: 500 }),
      expect.objectContaining({ group: 'grodno-2', gross: 4000, count: 1 }),
    ]);
    const ranged = await request(app)
      .get(
        '/funds/specialist-training/totals?from=2025-03-02&to=2025-03-02T15:00:00Z&groupBy=channel',
      )
      .set(finance)
      .expect(200);
    expect(ranged.body.rows).toEqual([
      expect.objectContaining({ group: 'office', gross: 4000, net: 4000, count: 1 }),
    ]);
  });

  it('answers 404 for an unknown fund and 400 for bad query values', async () => {
    const missing = await request(app).get('/funds/no-such/totals').set(finance).expect(404);
    expect(missing.body.detail).toMatch(/There is no fund "no-such"/);
    const bad = await request(app)
      .get('/funds/general/totals?groupBy=week&from=yesterday')
      .set(finance)
      .expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'from',
      'groupBy',
    ]);
    await request(app)
      .get('/funds/general/totals?from=2025-03-02&to=2025-03-01')
      .set(finance)
      .expect(400);
  });

  it('pages the journal with a keyset cursor, with lines, filtered by fund and date', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(app)
        .get(`/journal?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(finance)
        .expect(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.entries.map((e: { seq: number }) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);

    const general = await request(app).get('/journal?fund=general').set(finance).expect(200);
    expect(general.body.entries).toHaveLength(1);
    expect(general.body.entries[0]).toMatchObject({
      kind: 'donation',
      lines: [
        { lineNo: 1, account: 'clearing:stripe:USD', amount: 700, currency: 'USD' },
        { lineNo: 2, account: 'fund:general:USD', fund: 'general', amount: -700 },
      ],
    });
    const march2 = await request(app)
      .get('/journal?from=2025-03-02&to=2025-03-03')
      .set(finance)
      .expect(200);
    expect(march2.body.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'donation',
      'donation',
      'refund',
    ]);
    await request(app).get('/journal?cursor=nonsense').set(finance).expect(400);
  });

  it("tells one donation's story: its entries by donation id, a movement by provider ref", async () => {
    const story = await request(app)
      .get(`/journal?donation=${day2.donationId}`)
      .set(finance)
      .expect(200);
    expect(story.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['donation', 'refund']);
    expect(
      story.body.entries.every((e: { donationId: string }) => e.donationId === day2.donationId),
    ).toBe(true);
    const refund = await request(app).get('/journal?providerRef=re_h').set(finance).expect(200);
    expect(refund.body.entries).toHaveLength(1);
    expect(refund.body.entries[0]).toMatchObject({ kind: 'refund', donationId: day2.donationId });
    const none = await request(app).get('/journal?providerRef=re_nothing').set(finance).expect(200);
    expect(none.body.entries).toEqual([]);
    const bad = await request(app).get('/journal?donation=42').set(finance).expect(400);
    expect(bad.body.detail).toMatch(/donation: must be a donation id/);
  });

  it('shows public campaign totals without personal data', async () => {
    const res = await request(app).get('/campaign/totals').expect(200);
    expect(res.body).toMatchObject({
      raised: [
        { currency: 'BYN', minor: 10000 + 4000 + 2000 - 500 },
        { currency: 'USD', minor: 700 },
      ],
      donors: 4,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/donationId|officeId|ch_/);
  });

  it('streams campaign totals over SSE and pushes a new figure when the ledger moves', async () => {
    const server = app.listen(0);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const frames: { raised: { currency: string; minor: number }[]; donors: number }[] = [];
    const req = http.get(`http://127.0.0.1:${port}/campaign/totals/stream`);
    try {
      const [res] = (await once(req, 'response')) as [http.IncomingMessage];
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) {
          const data = part.split('\n').find((l) => l.startsWith('data: '));
          if (part.includes('event: totals') && data) frames.push(JSON.parse(data.slice(6)));
        }
      });
      await waitFor(() => frames.length >= 1);
      expect(frames[0]!.donors).toBe(4);
      await post([new DonationEvents({ gross: money(2500) }).succeeded()]);
      await waitFor(() => frames.length >= 2);
      expect(frames[1]).toMatchObject({
        donors: 5,
        raised: [
          { currency: 'BYN', minor: 18000 },
          { currency: 'USD', minor: 700 },
        ],
      });
    } finally {
      req.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('payouts, OpenAPI, health', () => {
  it('posts a payout as Dr bank / Cr clearing, once', async () => {
    const body = {
      provider: 'stripe',
      payoutId: 'po_1',
      amount: money(9000),
      occurredAt: '2025-03-05T00:00:00Z',
    };
    const res = await request(app).post('/payouts').set(finance).send(body).expect(201);
    const lines = await db.journalLine.findMany({
      where: { entryId: res.body.entryId },
      orderBy: { lineNo: 'asc' },
    });
    expect(lines.map((l) => [l.account, Number(l.amountMinor)])).toEqual([
      ['bank:BYN', 9000],
      ['clearing:stripe:BYN', -9000],
    ]);
    await request(app).post('/payouts').set(finance).send(body).expect(409);
    await request(app)
      .post('/payouts')
      .set(finance)
      .send({ ...body, payoutId: 'po_2', amount: { minor: 0, currency: 'BYN' } })
      .expect(400);
  });

  it('serves an OpenAPI document built from the request schemas', async () => {
    const res = await request(app).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/funds',
        '/funds/{fund}/totals',
        '/journal',
        '/audit/verify',
        '/campaign/totals',
      ]),
    );
    const createFund = res.body.paths['/funds'].post.requestBody.content['application/json'].schema;
    expect(createFund.properties.feePolicy.enum).toEqual(['fund', 'general']);
    const groupBy = res.body.paths['/funds/{fund}/totals'].get.parameters.find(
      (p: { name: string }) => p.name === 'groupBy',
    );
    expect(groupBy.schema.enum).toEqual(['currency', 'channel', 'office', 'day']);
  });

  it('reports not ready while the consumer is not running', async () => {
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks).toEqual({
      database: 'ok',
      consumer: 'the payment event consumer is not running',
    });
    await request(app).get('/healthz').expect(200);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

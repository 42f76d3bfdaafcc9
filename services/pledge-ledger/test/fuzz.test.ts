// Fuzz: every route of /openapi.json with valid and hostile inputs against the real service on
// real PostgreSQL. No answer is 5xx, and a refused request changes nothing.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestDatabase } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { InProcessTransport } from '@bfi/messaging';
import { FakePayPal, FakeStripe } from '@bfi/provider-fakes';
import { fuzzOpenApi, tableCounts, testLogger } from '@bfi/testing';
import type { Db } from '../src/db/client';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, fakeProviderClients, FINANCE_KEY, openDb, STAFF_KEY } from './helpers';

let database: TestDatabase;
let db: Db;
let server: Server;
let base: string;
let runId: string;
const stripeFake = new FakeStripe();
const paypalFake = new FakePayPal();

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_fuzz'));
  await Promise.all([stripeFake.start(), paypalFake.start()]);
  const { app } = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys, campaignPollMs: 1000 },
    providers: fakeProviderClients(stripeFake, paypalFake),
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const run = await fetch(`${base}/reconciliation/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${FINANCE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: '2025-03-01', to: '2025-04-01' }),
  });
  runId = ((await run.json()) as { id: string }).id;
});
afterAll(async () => {
  await closeServer(server);
  await Promise.all([stripeFake.stop(), paypalFake.stop()]);
  await db?.$disconnect();
  await database?.drop();
});

/** Requests per documented operation (FUZZ_RUNS to go deeper). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

it('no route answers 5xx to hostile input, and a refused request changes nothing', async () => {
  const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as Parameters<
    typeof fuzzOpenApi
  >[1]['openapi'];
  const result = await fuzzOpenApi(base, {
    openapi,
    knownParams: { fund: ['specialist-training', 'general'], runId: [runId], lineNo: ['1'] },
    authorizations: [`Bearer ${FINANCE_KEY}`, `Bearer ${FINANCE_KEY}`, `Bearer ${STAFF_KEY}`],
    // The CSV upload takes text/csv (recon-upload.test.ts covers it).
    skip: (route) => route === '/statements/upload',
    runsPerRoute: RUNS,
    fingerprint: () => tableCounts(db),
  });
  expect(result.sent).toBe(RUNS * result.operations);
  expect(result.serverErrors).toBe('');
  expect(result.changedOn4xx).toBe('');
}, 600_000);

describe('inputs that answered 500 before', () => {
  const finance = { authorization: `Bearer ${FINANCE_KEY}`, 'content-type': 'application/json' };
  it.each([
    [
      'POST',
      '/funds',
      { slug: 'nul-fund', name: 'Fund\u0000', restricted: false, feePolicy: 'fund' },
    ],
    [
      'POST',
      '/funds',
      { slug: 'sur-fund', name: 'Fund \ud800', restricted: false, feePolicy: 'fund' },
    ],
    [
      'POST',
      '/payouts',
      {
        provider: 'stripe',
        payoutId: 'po\u0000',
        amount: { minor: 5, currency: 'BYN' },
        occurredAt: '2025-01-01T00:00:00Z',
      },
    ],
    ['GET', '/statements?cursor=99999999999999999999', undefined],
    ['GET', '/statements?limit=1e3', undefined],
    ['GET', '/reconciliation/runs/{run}/lines?cursor=2147483648', undefined],
    [
      'POST',
      '/reconciliation/runs/{run}/lines/2147483648/resolution',
      { action: 'accept', comment: 'okay' },
    ],
  ])('%s %s %j → 400, nothing stored', async (method, url, body) => {
    const before = await tableCounts(db);
    const res = await fetch(base + url.replace('{run}', runId), {
      method,
      headers: finance,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await tableCounts(db)).toBe(before);
  });
});

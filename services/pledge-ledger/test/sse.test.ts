// The campaign stream through the shared live-stream gate, on a real server: per-client and
// total caps refused before the stream starts, retry and id fields, maximum age, resume.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestDatabase } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { InProcessTransport } from '@bfi/messaging';
import { eventually, openStream, testLogger, type OpenedStream } from '@bfi/testing';
import type { Db } from '../src/db/client';
import { loadPledgeLedgerConfig } from '../src/config';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, FINANCE_KEY, openDb } from './helpers';

let database: TestDatabase;
let db: Db;
let server: Server;
let base: string;
const open: OpenedStream[] = [];

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_sse'));
  // The limits come from the service's config loader, as in production.
  const { sse } = loadPledgeLedgerConfig({
    SSE_MAX_PER_CLIENT: '2',
    SSE_MAX_TOTAL: '3',
    SSE_MAX_AGE_SECONDS: '1',
    SSE_RETRY_MS: '700',
  });
  const { app } = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys, campaignPollMs: 200, sse },
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await closeServer(server);
  await db?.$disconnect();
  await database?.drop();
});

async function stream(headers: Record<string, string> = {}) {
  const s = await openStream(`${base}/campaign/totals/stream`, headers);
  open.push(s);
  return s;
}

it('sends retry, totals with their version as id, and resumes with the current totals', async () => {
  const s = await stream();
  expect(await s.next()).toEqual({ retry: '700' });
  const first = await s.until((e) => e.event === 'totals');
  expect(first?.id).toBe(String(JSON.parse(first!.data!).version));
  const resumed = await eventually(async () => {
    const again = await stream({ 'last-event-id': first!.id! });
    expect(again.status).toBe(200);
    return again;
  });
  const current = await resumed.until((e) => e.event === 'totals');
  expect(current?.id).toBe(first?.id);
  expect(JSON.parse(current!.data!)).toMatchObject({ raised: [], donors: 0 });
});

it('ends a stream at its maximum age', async () => {
  const s = await eventually(async () => {
    const opened = await stream();
    expect(opened.status).toBe(200);
    return opened;
  });
  expect(await s.until(() => false)).toBeNull();
});

it('refuses past the per-client cap (429) and the total cap (503), before the stream starts', async () => {
  await eventually(async () => {
    const a = await stream();
    expect(a.status).toBe(200);
  });
  await stream();
  const third = await stream();
  expect(third.status).toBe(429);
  expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
  // Another client (a finance key) still gets in, until the total is reached.
  const finance = { authorization: `Bearer ${FINANCE_KEY}` };
  expect((await stream(finance)).status).toBe(200);
  const over = await stream(finance);
  expect(over.status).toBe(503);
  expect(over.headers.get('content-type')).toContain('application/problem+json');
});

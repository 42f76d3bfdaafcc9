// The load shedder on real HTTP: requests that really hold their slot (a handler waiting on a
// promise the test releases), the 503 a person can read past the bound, and service again after.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { register } from 'prom-client';
import { closeServer, listen, shedLoad, type LoadShedder } from '../src';

/** A promise the test resolves by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

let server: Server;
let base: string;
let shedder: LoadShedder;
/** The held requests' gates, by the name each request carries (x-name). */
const gates = new Map<string, ReturnType<typeof gate>>();
/** Resolves when the server saw the client of a held request hang up. */
let hungUp = gate();

beforeAll(async () => {
  const app = express();
  shedder = shedLoad({ name: 'test-checkout', maxInFlight: 2, retryAfterSeconds: 3 });
  app.post('/checkout', shedder, async (req, res) => {
    // 'close' before the answer is written: the connection went away.
    res.on('close', () => hungUp.open());
    const held = gate();
    gates.set(String(req.headers['x-name']), held);
    await held.opened;
    res.json({ done: true });
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const g of gates.values()) g.open();
  await closeServer(server);
});

const post = (name: string, signal?: AbortSignal) =>
  fetch(`${base}/checkout`, { method: 'POST', headers: { 'x-name': name }, signal });

/** Waits until the handler holds the request called `name`. */
async function heldAt(name: string): Promise<void> {
  while (!gates.has(name)) await new Promise((r) => setImmediate(r));
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

async function shedCount(): Promise<number> {
  const metric = await register.getSingleMetric('http_requests_shed_total')!.get();
  const value = metric.values.find(
    (v) => v.labels.group === 'test-checkout' && v.labels.reason === 'in-flight',
  );
  return value?.value ?? 0;
}

test('past its bound a route answers 503 problem+json with Retry-After, and serves again once a slot frees', async () => {
  const first = post('a1');
  const second = post('a2');
  await heldAt('a1');
  await heldAt('a2');
  expect(shedder.inFlight).toBe(2);
  const before = await shedCount();

  const refused = await post('a-refused');
  expect(refused.status).toBe(503);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.headers.get('retry-after')).toBe('3');
  const problem = (await refused.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status: 503, title: 'Service unavailable', code: 'overloaded' });
  expect(problem.detail).toMatch(/Nothing was done.*try again in 3 seconds/);
  expect(await shedCount()).toBe(before + 1);
  // The refused request never reached the handler.
  expect(gates.has('a-refused')).toBe(false);

  gates.get('a1')!.open();
  expect((await first).status).toBe(200);
  const third = post('a3');
  await heldAt('a3');
  expect(shedder.inFlight).toBe(2);
  gates.get('a2')!.open();
  gates.get('a3')!.open();
  expect((await second).status).toBe(200);
  expect((await third).status).toBe(200);
  await until(() => shedder.inFlight === 0);
});

test('a client that hangs up keeps its slot until the handler has answered (its work goes on)', async () => {
  hungUp = gate();
  const abort = new AbortController();
  const gone = post('b-gone', abort.signal).catch(() => 'aborted');
  const other = post('b-other');
  await heldAt('b-gone');
  await heldAt('b-other');
  abort.abort();
  expect(await gone).toBe('aborted');
  await hungUp.opened;
  // The hung-up request's handler still runs: the group is still full.
  expect(shedder.inFlight).toBe(2);
  expect((await post('b-refused')).status).toBe(503);

  gates.get('b-gone')!.open();
  await until(() => shedder.inFlight === 1);
  const next = post('b-next');
  await heldAt('b-next');
  gates.get('b-other')!.open();
  gates.get('b-next')!.open();
  expect((await other).status).toBe(200);
  expect((await next).status).toBe(200);
});

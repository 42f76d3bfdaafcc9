// A request that cannot get a pool connection in time answers 503 + Retry-After (the client
// retries), never 500, and the service serves again once the connection is free (issue #14).
import { randomUUID } from 'node:crypto';
import { eventually } from '@bfi/testing';
import { openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  // One connection, and a short wait for it: a transaction holding it times the request out.
  w = await openWorld({}, {}, { max: 1, connectionTimeoutMillis: 1000 });
});
afterAll(async () => {
  await w?.close();
});

test('a pool timeout answers 503 problem+json with Retry-After; the same request is served once the pool is free', async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  // The pool's one connection, held by a transaction until the test releases it.
  const holder = w.db.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe('SELECT 1');
      holding();
      await released;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  await held;
  const url = `/donations/${randomUUID()}`;

  const busy = await w.api('GET', url);
  expect(busy.status).toBe(503);
  expect(busy.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(busy.body).toMatchObject({ status: 503, code: 'database-unavailable' });
  expect(busy.body.detail).toMatch(/try again in \d+ seconds/);

  release();
  await holder;
  // The donation does not exist: 404 is the service answering from the database again (the
  // service's own loops share the one connection, so it may take a moment).
  await eventually(async () => expect((await w.api('GET', url)).status).toBe(404));
});

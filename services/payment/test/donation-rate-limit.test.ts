// Donors behind one address (an MTS office, a carrier NAT, the Wi-Fi at a poster) give through
// the same IP: with the default limits 50 of them are all served, while one client hammering
// one gift is refused with 429 — and the others behind the same address still get through.
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  // The deployed defaults (config.ts); the harness otherwise lifts every limit.
  w = await openWorld({
    PUBLIC_RATE_LIMIT: '300',
    DONATION_RATE_LIMIT: '1200',
    DONATION_KEY_RATE_LIMIT: '10',
  });
});
afterAll(async () => {
  await w?.close();
});

const gift = (amount: number) => ({ amount, currency: 'BYN', provider: 'stripe' });

const give = (key: string, amount: number) =>
  w.api('POST', '/donations', { body: gift(amount), headers: { 'idempotency-key': key } });

test('50 donors behind one address at a poster are all served, each retry included', async () => {
  const keys = Array.from({ length: 50 }, () => idemKey());
  const statuses: number[] = [];
  for (let i = 0; i < keys.length; i += 10) {
    const batch = keys.slice(i, i + 10).map((k, j) => give(k, 1000 + i + j));
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  expect(statuses).toEqual(keys.map(() => 201));
  // Each phone retries its gift once (a flaky connection): a replay, not a refusal.
  const replays = await Promise.all(keys.map((k, i) => give(k, 1000 + i)));
  expect(replays.map((r) => r.status)).toEqual(keys.map(() => 200));
  expect(await w.db.donation.count()).toBe(50);
});

test('one client hammering one gift is refused with 429 problem+json and Retry-After; its neighbours are not', async () => {
  const key = idemKey();
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await give(key, 2500)).status);
  expect(statuses).toEqual([201, ...Array<number>(9).fill(200)]);

  const refused = await give(key, 2500);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
  expect(refused.body.detail).toMatch(/sent too many times.*wait a minute.*not be charged twice/);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await w.db.donation.count({ where: { amountMinor: 2500n } })).toBe(1);

  // Another donor behind the same address gives at once.
  expect((await give(idemKey(), 3000)).status).toBe(201);
});

test('retries after failed answers do not use up a gift: the donor who fixes the form still gives', async () => {
  const key = idemKey();
  // Twelve refused attempts under one key (an amount the API does not take): more than the
  // gift's budget of ten, and none of them counts against it.
  for (let i = 0; i < 12; i++) {
    const refused = await w.api('POST', '/donations', {
      body: gift(-5),
      headers: { 'idempotency-key': key },
    });
    expect(refused.status).toBe(400);
  }
  expect((await give(key, 4100)).status).toBe(201);
  expect(await w.db.donation.count({ where: { amountMinor: 4100n } })).toBe(1);
});

// Public endpoints are rate-limited per client address; provider webhooks have their own budget,
// so donors hammering the status page can never make Stripe's deliveries bounce (and the other
// way round).
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  // POST /donations has its own budget per address (DONATION_RATE_LIMIT, see
  // donation-rate-limit.test.ts): 1 here, so the second gift from this address is the one refused.
  w = await openWorld({
    PUBLIC_RATE_LIMIT: '3',
    DONATION_RATE_LIMIT: '1',
    WEBHOOK_RATE_LIMIT: '5',
  });
});
afterAll(async () => {
  await w?.close();
});

const gift = () => ({ amount: 1500, currency: 'BYN', provider: 'stripe' });

test('the 4th public request in a minute is refused with 429 problem+json and creates nothing', async () => {
  const created = await w.api('POST', '/donations', {
    body: gift(),
    headers: { 'idempotency-key': idemKey() },
  });
  expect(created.status).toBe(201);
  expect((await w.api('GET', `/donations/${created.body.id}`)).status).toBe(200);
  expect((await w.api('GET', `/donations/${created.body.id}`)).status).toBe(200);

  const before = await w.db.donation.count();
  const refused = await w.api('POST', '/donations', {
    body: gift(),
    headers: { 'idempotency-key': idemKey() },
  });
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.body).toMatchObject({ status: 429, title: 'Too many requests' });
  expect(refused.body.detail).toMatch(/wait a minute/);
  expect(refused.headers.get('ratelimit-policy') ?? refused.headers.get('ratelimit')).toBeTruthy();
  expect(await w.db.donation.count()).toBe(before);

  // Webhooks still get through: the donor-side budget is spent, the provider's is not.
  const sessionId = created.body.providerRefs.checkoutSessionId as string;
  await w.stripe.pay(sessionId);
  expect(w.stripe.deliveries.slice(-2).map((d) => d.status)).toEqual([200, 200]);
  const paid = await w.db.donation.findUniqueOrThrow({ where: { id: created.body.id } });
  expect(paid.status).toBe('succeeded');
});

test('webhooks past their own budget are answered 429 (the provider retries later)', async () => {
  // Two deliveries of the previous test used 2 of 5; wrong signatures still count.
  const unsigned = () =>
    fetch(`${w.base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{}',
    });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await unsigned()).status);
  expect(statuses).toEqual([400, 400, 400, 429]);
});

// The office console follows a counter QR: waiting for the donor, then the donation it made and
// that donation's status, or expired unused. Only staff of the point's office may look.
import { idemKey, openWorld, type World } from './harness';

let w: World;
let counterA: { id: string };

beforeAll(async () => {
  w = await openWorld({ QR_INTENT_TTL_SECONDS: '120' });
  for (const office of [
    { id: 'office-a', name: 'MTS Minsk Nemiga' },
    { id: 'office-b', name: 'MTS Brest Central' },
  ]) {
    expect((await w.api('POST', '/offices', { body: office, key: 'admin' })).status).toBe(201);
  }
  counterA = (
    await w.api('POST', '/offices/office-a/points', {
      body: { label: 'Counter 1', kind: 'counter' },
      key: 'admin',
    })
  ).body;
});
afterAll(async () => {
  await w?.close();
});

async function newIntent(amount: number) {
  const res = await w.api('POST', `/donation-points/${counterA.id}/intents`, {
    body: { amount, currency: 'BYN' },
    key: 'staffA',
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; token: string; url: string; qrSvg: string };
}

it('a new counter QR is waiting, shows the same QR again, then follows its donation to succeeded', async () => {
  const intent = await newIntent(2500);
  const path = `/donation-points/${counterA.id}/intents/${intent.id}`;
  const waiting = await w.api('GET', path, { key: 'staffA' });
  expect(waiting.status).toBe(200);
  expect(waiting.body).toMatchObject({
    id: intent.id,
    officeId: 'office-a',
    state: 'waiting',
    amount: { minor: 2500, currency: 'BYN' },
    url: intent.url,
    donation: null,
  });
  expect(waiting.body.qrSvg).toBe(intent.qrSvg);

  const donated = await w.api('POST', '/donations', {
    body: { amount: 2500, currency: 'BYN', provider: 'stripe', pointToken: intent.token },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(donated.status).toBe(201);
  const used = await w.api('GET', path, { key: 'staffA' });
  expect(used.body).toMatchObject({
    state: 'used',
    donation: { id: donated.body.id, status: 'pending', channel: 'office', redirectUrl: null },
  });

  await w.stripe.pay(donated.body.providerRefs.checkoutSessionId);
  const paid = await w.api('GET', path, { key: 'staffA' });
  expect(paid.body.donation).toMatchObject({ id: donated.body.id, status: 'succeeded' });
});

it('a counter QR nobody used is expired once its time is up', async () => {
  const intent = await newIntent(1000);
  w.clock.ms = Date.now() + 121_000;
  try {
    const res = await w.api('GET', `/donation-points/${counterA.id}/intents/${intent.id}`, {
      key: 'staffA',
    });
    expect(res.body).toMatchObject({ state: 'expired', donation: null });
  } finally {
    w.clock.ms = null;
  }
});

it('staff of another office cannot follow it; an unknown id or point is 404', async () => {
  const intent = await newIntent(1200);
  const path = `/donation-points/${counterA.id}/intents/${intent.id}`;
  const other = await w.api('GET', path, { key: 'staffB' });
  expect(other.status).toBe(403);
  expect(other.body.detail).toMatch(/cannot act for office office-a/);
  expect((await w.api('GET', path)).status).toBe(401);
  const unknown = await w.api(
    'GET',
    `/donation-points/${counterA.id}/intents/00000000-0000-4000-8000-000000000000`,
    { key: 'staffA' },
  );
  expect(unknown.status).toBe(404);
  expect((await w.api('GET', path, { key: 'admin' })).status).toBe(200);
});

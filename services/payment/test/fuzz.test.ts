// Fuzz: every route of /openapi.json with valid and hostile inputs against the real service on
// real PostgreSQL. No answer is 5xx, and a refused request changes nothing.
import fc from 'fast-check';
import { fuzzOpenApi, hostileString, tableCounts } from '@bfi/testing';
import { idemKey, KEYS, openWorld, postSignedStripe, type World } from './harness';

let w: World;
let known: Record<string, string[]>;

beforeAll(async () => {
  w = await openWorld();
  await w.api('POST', '/offices', { body: { id: 'office-a', name: 'Minsk' }, key: 'admin' });
  const point = await w.api('POST', '/offices/office-a/points', {
    body: { label: 'Counter', kind: 'counter' },
    key: 'admin',
  });
  const donation = await w.api('POST', '/donations', {
    body: { amount: 1000, currency: 'BYN', provider: 'stripe' },
    headers: { 'idempotency-key': idemKey() },
  });
  known = { id: ['office-a', point.body.id, donation.body.id] };
});
afterAll(async () => {
  await w?.close();
});

/** Requests per documented operation (FUZZ_RUNS to go deeper). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

it('no route answers 5xx to hostile input, and a refused request changes nothing', async () => {
  const openapi = (await w.api('GET', '/openapi.json')).body;
  const result = await fuzzOpenApi(w.base, {
    openapi,
    knownParams: known,
    authorizations: [`Bearer ${KEYS.admin}`, `Bearer ${KEYS.staffA}`, undefined],
    headersFor: (route, method) =>
      route === '/donations' && method === 'POST'
        ? fc.oneof(
            fc.constant({ 'idempotency-key': idemKey() }),
            hostileString
              .filter((s) => /^[\x20-\x7e]*$/.test(s))
              .map((s) => ({ 'idempotency-key': s })),
          )
        : fc.constant({}),
    runsPerRoute: RUNS,
    fingerprint: () => tableCounts(w.db),
  });
  expect(result.sent).toBe(RUNS * result.operations);
  expect(result.serverErrors).toBe('');
  expect(result.changedOn4xx).toBe('');
}, 600_000);

it('signed Stripe events of any shape are answered 2xx or 4xx, never 5xx', async () => {
  const money = fc.record({
    amount: fc.oneof(fc.integer(), fc.constant(2 ** 60), fc.constant(-1)),
    currency: fc.oneof(fc.constantFrom('usd', 'byn', 'xxx', 'US', '', 'ÿÿÿ'), hostileString),
  });
  const object = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant('ch_1'),
    fc
      .record(
        {
          id: fc.oneof(fc.constantFrom('pi_1', 'ch_1', 'cs_1', 'dp_1'), hostileString),
          object: fc.constantFrom('charge', 'payment_intent', 'checkout.session', 'dispute'),
          metadata: fc.oneof(
            fc.constant({}),
            fc.record({ donationId: fc.oneof(fc.uuid(), hostileString) }),
          ),
          payment_intent: fc.oneof(fc.constant(null), fc.constant('pi_1'), hostileString),
          charge: fc.oneof(fc.constant('ch_1'), fc.constant(null), fc.constant({})),
          payment_status: fc.constantFrom('paid', 'unpaid'),
          status: fc.constantFrom('lost', 'won', 'warning_closed'),
          client_reference_id: fc.oneof(fc.uuid(), hostileString, fc.constant(null)),
          last_payment_error: fc.constant(null),
        },
        { requiredKeys: [] },
      )
      .chain((o) => money.map((m) => ({ ...o, ...m }))),
  );
  const event = fc.record({
    id: fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }).map((s) => `evt_${s}`),
      hostileString,
    ),
    object: fc.constant('event'),
    type: fc.constantFrom(
      'checkout.session.completed',
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'charge.refunded',
      'charge.dispute.created',
      'charge.dispute.closed',
      'customer.created',
    ),
    data: fc.oneof(
      fc.constant(undefined),
      fc.constant({}),
      object.map((o) => ({ object: o })),
    ),
  });
  const bad: string[] = [];
  for (const e of fc.sample(event, { numRuns: RUNS * 5 })) {
    const payload = JSON.stringify(e);
    const res = await postSignedStripe(w, payload);
    if (res.status >= 500) bad.push(`${res.status} ${payload.slice(0, 300)} → ${await res.text()}`);
    else await res.text();
  }
  expect(bad.length ? `${bad.length} of ${RUNS * 5}:\n${bad.join('\n')}` : '').toBe('');
}, 600_000);

describe('inputs that answered 500 before', () => {
  it.each([
    ['POST', '/offices', { id: 'office-nul', name: 'Minsk\u0000' }],
    ['POST', '/offices', { id: 'office-sur', name: 'Minsk \ud800' }],
    ['POST', '/offices/office-a/points', { label: 'Door\u0000' }],
    ['GET', '/donation-points/------------------------------------/qr.png', undefined],
    ['GET', '/donation-points/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz/qr.svg', undefined],
    ['POST', '/offices/office%00a/disable', undefined],
  ])('%s %s %j → 400, nothing stored', async (method, url, body) => {
    const before = await tableCounts(w.db);
    const res = await w.api(method, url, { body, key: 'admin' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await tableCounts(w.db)).toBe(before);
  });

  it('a donor name with a NUL byte → 400 before anything is charged', async () => {
    const before = await tableCounts(w.db);
    const res = await w.api('POST', '/donations', {
      body: { amount: 1000, currency: 'BYN', provider: 'stripe', donorName: 'Ann\u0000a' },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/donorName: must not contain NUL bytes/);
    expect(await tableCounts(w.db)).toBe(before);
  });

  it('two admins creating the same office at once: one 201, the other 409', async () => {
    const body = { id: 'office-race', name: 'Hrodna' };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => w.api('POST', '/offices', { body, key: 'admin' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
  });
});

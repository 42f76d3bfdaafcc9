import { idemKey, openWorld, type World } from './harness';

// One Idempotency-Key, many concurrent retries: one donation, one provider call. The fake Stripe
// keeps each request with a key in flight for a while and answers 409 to a second one with the
// same key meanwhile, as Stripe does.

let w: World;
beforeAll(async () => {
  w = await openWorld({}, { stripe: { latencyMs: 300 } });
});
afterAll(async () => {
  await w?.close();
});

const sessionsCreated = () =>
  w.stripe.calls.filter((c) => c.method === 'POST' && c.path === '/v1/checkout/sessions').length;

describe('Idempotency-Key under concurrent retries', () => {
  it('10 concurrent POST /donations with one key → one donation, one provider session, one 201', async () => {
    const key = idemKey();
    const body = { amount: 3000, currency: 'BYN', provider: 'stripe' };
    const before = { sessions: w.stripe.sessions.size, calls: sessionsCreated() };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        w.api('POST', '/donations', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 200 || s === 409)).toBe(true);
    const created = answers.find((a) => a.status === 201)!;
    for (const a of answers.filter((a) => a.status === 200)) expect(a.body).toEqual(created.body);
    for (const a of answers.filter((a) => a.status === 409)) {
      expect(a.body.code).toBe('in-progress');
      expect(a.headers.get('retry-after')).toBe('1');
    }
    expect(created.body.status).toBe('pending');
    expect(w.stripe.sessions.size).toBe(before.sessions + 1);
    expect(sessionsCreated()).toBe(before.calls + 1);
    const ids = await w.db.idempotencyKey.findMany({ where: { key } });
    expect(await w.db.donation.count({ where: { id: ids[0]!.donationId } })).toBe(1);

    // A replay after completion answers 200 with the same body, still without a provider call.
    const replay = await w.api('POST', '/donations', { body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(created.body);
    expect(sessionsCreated()).toBe(before.calls + 1);
  });

  it('a short wait budget answers 409 "in progress" with Retry-After, never a failed donation', async () => {
    const impatient = await w.replica();
    const key = idemKey();
    const body = { amount: 1200, currency: 'BYN', provider: 'stripe' };
    const post = (base: string) =>
      fetch(`${base}/donations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const first = post(w.base);
    await new Promise((r) => setTimeout(r, 100));
    // The replica is told to wait 0 ms: it must not call the provider itself.
    const config = impatient.service.deps.config;
    const waitMs = config.checkoutWaitMs;
    config.checkoutWaitMs = 0;
    const second = await post(impatient.base).finally(() => (config.checkoutWaitMs = waitMs));
    expect(second.status).toBe(409);
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await first).status).toBe(201);
    const row = await w.db.idempotencyKey.findUniqueOrThrow({ where: { key } });
    expect((await w.db.donation.findUniqueOrThrow({ where: { id: row.donationId } })).status).toBe(
      'pending',
    );
  });
});

describe('refunds are idempotent at the provider', () => {
  it('a refund sent twice at once without an Idempotency-Key refunds once at the provider', async () => {
    const res = await w.api('POST', '/donations', {
      body: { amount: 5000, currency: 'BYN', provider: 'stripe' },
      headers: { 'idempotency-key': idemKey() },
    });
    await w.stripe.pay(res.body.providerRefs.checkoutSessionId);
    const id = res.body.id as string;
    const refund = () =>
      w.api('POST', `/donations/${id}/refunds`, { body: { amount: 1000 }, key: 'finance' });
    const answers = await Promise.all([refund(), refund()]);
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    const atProvider = [...w.stripe.refunds.values()].filter(
      (r) =>
        r.payment_intent ===
        w.stripe.sessions.get(res.body.providerRefs.checkoutSessionId)!.payment_intent,
    );
    expect(atProvider).toHaveLength(1);
    const donation = await w.db.donation.findUniqueOrThrow({ where: { id } });
    expect(donation.refundedMinor).toBe(1000n);

    // A deliberate second refund, asked after the first is recorded, goes through.
    expect((await refund()).status).toBe(201);
    expect((await w.db.donation.findUniqueOrThrow({ where: { id } })).refundedMinor).toBe(2000n);
  });
});

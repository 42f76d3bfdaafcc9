import { eventually } from '@bfi/testing';
import { idemKey, openWorld, postSignedStripe, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w?.close();
});

async function donate(
  amount = 2500,
  currency = 'BYN',
): Promise<{ id: string; sessionId: string; redirectUrl: string }> {
  const res = await w.api('POST', '/donations', {
    body: { amount, currency, provider: 'stripe', donorEmail: 'donor@example.com' },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return {
    id: res.body.id,
    sessionId: res.body.providerRefs.checkoutSessionId,
    redirectUrl: res.body.redirectUrl,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Stripe checkout end to end', () => {
  it('POST /donations → paid through the fake Stripe → signed webhook → succeeded, and one payment.succeeded on Kafka', async () => {
    const { id, sessionId, redirectUrl } = await donate(2500, 'BYN');
    expect(redirectUrl).toBe(`${w.stripe.url}/checkout/${sessionId}`);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('pending');

    const events = await w.stripe.pay(sessionId);
    expect(events.map((e) => e.type)).toEqual([
      'checkout.session.completed',
      'payment_intent.succeeded',
    ]);
    expect(w.stripe.deliveries.slice(-2).map((d) => d.status)).toEqual([200, 200]);

    const after = await w.api('GET', `/donations/${id}`);
    expect(after.body).toMatchObject({
      status: 'succeeded',
      amount: { minor: 2500, currency: 'BYN' },
      fee: { minor: Math.round(2500 * 0.029) + 30, currency: 'BYN' },
      channel: 'online',
    });
    const succeeded = await eventually(() => {
      const found = w.events('payment.succeeded.v1', id);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(succeeded.data).toMatchObject({
      donationId: id,
      provider: 'stripe',
      gross: { minor: 2500, currency: 'BYN' },
      fee: { minor: 103, currency: 'BYN' },
      fund: 'specialist-training',
      providerRefs: {
        checkoutSessionId: sessionId,
        paymentIntentId: expect.stringMatching(/^pi_/),
        chargeId: expect.stringMatching(/^ch_/),
      },
    });
    await sleep(500);
    expect(w.events('payment.succeeded.v1', id)).toHaveLength(1);
  });
});

describe('Stripe webhooks', () => {
  it('the same webhook delivered 100 times gives one state change and one event', async () => {
    const { id, sessionId } = await donate(4000, 'USD');
    const [completed, intent] = await w.stripe.pay(sessionId, { deliver: false });
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => w.stripe.deliver(intent!).then((d) => d.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    await w.stripe.deliver(completed!);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('succeeded');
    expect(await w.db.webhookDelivery.count({ where: { providerEventId: intent!.id } })).toBe(1);
    await eventually(() => expect(w.events('payment.succeeded.v1', id)).toHaveLength(1));
    await sleep(500);
    expect(w.events('payment.succeeded.v1', id)).toHaveLength(1);
  });

  it('a late payment_failed never overwrites succeeded', async () => {
    const { id, sessionId } = await donate(1500, 'EUR');
    const failed = await w.stripe.pay(sessionId, { outcome: 'failed', deliver: false });
    const paid = await w.stripe.pay(sessionId, { deliver: false });
    for (const e of paid) expect((await w.stripe.deliver(e)).status).toBe(200);
    expect((await w.stripe.deliver(failed[0]!)).status).toBe(200);
    const donation = (await w.api('GET', `/donations/${id}`)).body;
    expect(donation.status).toBe('succeeded');
    await eventually(() => expect(w.events('payment.succeeded.v1', id)).toHaveLength(1));
    await sleep(300);
    expect(w.events('payment.failed.v1', id)).toHaveLength(0);
  });

  it('a failed attempt followed by a success in the same checkout ends succeeded', async () => {
    const { id, sessionId } = await donate(1500, 'EUR');
    await w.stripe.pay(sessionId, { outcome: 'failed' });
    expect((await w.api('GET', `/donations/${id}`)).body).toMatchObject({
      status: 'failed',
      failureReason: 'Your card has insufficient funds.',
    });
    await w.stripe.pay(sessionId);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('succeeded');
    await eventually(() => {
      expect(w.events('payment.failed.v1', id)).toHaveLength(1);
      expect(w.events('payment.succeeded.v1', id)).toHaveLength(1);
    });
  });

  it('wrong or missing signature → 400 and nothing changes', async () => {
    const { id, sessionId } = await donate(1200, 'USD');
    const [, intent] = await w.stripe.pay(sessionId, { deliver: false });
    const forged = w.stripe.sign(intent!, 'whsec_not_the_secret');
    const bad = await fetch(`${w.base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': forged.signature },
      body: forged.payload,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(
      /Stripe-Signature does not match/,
    );
    const missing = await fetch(`${w.base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: forged.payload,
    });
    expect(missing.status).toBe(400);
    const genuine = w.stripe.sign(intent!);
    const tampered = genuine.payload.replace('"amount": 1200', '"amount": 1');
    const tamperedRes = await fetch(`${w.base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': genuine.signature },
      body: tampered,
    });
    expect(tamperedRes.status).toBe(400);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('pending');
    expect(await w.db.webhookDelivery.count({ where: { providerEventId: intent!.id } })).toBe(0);
  });

  it('a genuine signature dated more than 300 s in the future or past → 400 and nothing changes', async () => {
    const { id, sessionId } = await donate(1300, 'USD');
    const [, intent] = await w.stripe.pay(sessionId, { deliver: false });
    const payload = JSON.stringify(intent);
    const post = (timestamp: number) => postSignedStripe(w, payload, timestamp);
    const now = Math.floor(Date.now() / 1000);
    for (const t of [now + 3600, now + 301, now - 3600]) expect((await post(t)).status).toBe(400);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('pending');
    expect(await w.db.webhookDelivery.count({ where: { providerEventId: intent!.id } })).toBe(0);
    // A small clock skew either way is fine.
    expect((await post(now + 60)).status).toBe(200);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('succeeded');
  });

  it('disputes: closed-before-created waits in the inbox (200 queued), then created and closed publish in order, each delivered once', async () => {
    const { id, sessionId } = await donate(3000, 'USD');
    await w.stripe.pay(sessionId);
    const pi = (await w.api('GET', `/donations/${id}`)).body.providerRefs.paymentIntentId as string;
    const created = await w.stripe.openDispute(pi, { deliver: false });
    const closed = await w.stripe.closeDispute(created.data.object.id, 'lost', { deliver: false });
    const early = await w.stripe.deliver(closed);
    expect(early.status).toBe(200);
    expect(JSON.parse(early.body)).toMatchObject({ received: true, outcome: /^queued: waiting/ });
    expect((await w.api('GET', `/donations/${id}`)).body.disputeStatus).toBeNull();
    expect((await w.stripe.deliver(created)).status).toBe(200);
    // No redelivery: the stored closing applies as soon as the dispute it depends on is open.
    await eventually(async () =>
      expect((await w.api('GET', `/donations/${id}`)).body.disputeStatus).toBe('lost'),
    );
    const deliveredOf = (eventId: string) =>
      w.stripe.deliveries.filter((d) => d.eventId === eventId);
    expect(deliveredOf(closed.id)).toHaveLength(1);
    expect(deliveredOf(created.id)).toHaveLength(1);
    await eventually(() => {
      expect(w.events('payment.disputed.v1', id)).toHaveLength(1);
      expect(
        w
          .events('payment.dispute-closed.v1', id)
          .map((e) => (e.data as { outcome: string }).outcome),
      ).toEqual(['lost']);
    });
  });
});

describe('refunds through Stripe', () => {
  it('partial then full; the charge.refunded webhooks add nothing twice; over-refund refused', async () => {
    const { id, sessionId } = await donate(2500, 'BYN');
    await w.stripe.pay(sessionId);
    expect(
      (await w.api('POST', `/donations/${id}/refunds`, { body: { amount: 1000 }, key: 'staffA' }))
        .status,
    ).toBe(403);
    expect(
      (await w.api('POST', `/donations/${id}/refunds`, { body: { amount: 1000 } })).status,
    ).toBe(401);

    const partial = await w.api('POST', `/donations/${id}/refunds`, {
      body: { amount: 1000 },
      key: 'finance',
    });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      status: 'partially_refunded',
      refunded: { minor: 1000, currency: 'BYN' },
    });
    const full = await w.api('POST', `/donations/${id}/refunds`, { body: {}, key: 'finance' });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({
      status: 'refunded',
      refunded: { minor: 2500, currency: 'BYN' },
    });
    const more = await w.api('POST', `/donations/${id}/refunds`, {
      body: { amount: 1 },
      key: 'admin',
    });
    expect(more.status).toBe(409);

    // Stripe's own charge.refunded deliveries (sent by the fake after each refund) arrive too.
    await eventually(() =>
      expect(
        w.stripe.deliveries.filter((d) => d.type === 'charge.refunded' && d.status === 200),
      ).toHaveLength(2),
    );
    const refunded = await eventually(() => {
      const found = w.events('payment.refunded.v1', id);
      expect(found).toHaveLength(2);
      return found;
    });
    expect(refunded.map((e) => e.data)).toEqual([
      expect.objectContaining({
        amount: { minor: 1000, currency: 'BYN' },
        totalRefunded: { minor: 1000, currency: 'BYN' },
        fullyRefunded: false,
      }),
      expect.objectContaining({
        amount: { minor: 1500, currency: 'BYN' },
        totalRefunded: { minor: 2500, currency: 'BYN' },
        fullyRefunded: true,
      }),
    ]);
    expect(await w.db.refund.count({ where: { donationId: id } })).toBe(2);
  });
});

describe('status streams', () => {
  it('streams a donation going from pending to succeeded', async () => {
    const { id, sessionId } = await donate(700, 'USD');
    const controller = new AbortController();
    const res = await fetch(`${w.base}/donations/${id}/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil('"status":"pending"');
    await w.stripe.pay(sessionId);
    await readUntil('"status":"succeeded"');
    controller.abort();
  });
});

// Store, answer, apply: every verified delivery is stored before the webhook answers, and applied
// from the stored row — at once when it can be, else later by the applier, exactly once. The
// provider never has to deliver an event twice: order, outages and restarts are handled inside.
import type { AddressInfo } from 'node:net';
import { createPrisma } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { InProcessTransport } from '@bfi/messaging';
import { eventually } from '@bfi/testing';
import pino from 'pino';
import Stripe from 'stripe';
import { PrismaClient } from '../src/db/repository';
import { createPaymentService } from '../src/service';
import { idemKey, openWorld, postSignedStripe, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld({}, { stripe: { autoRefundWebhooks: false } });
});
afterAll(async () => {
  await w?.close();
});

async function donate(world: World, amount = 2000): Promise<{ id: string; sessionId: string }> {
  const res = await world.api('POST', '/donations', {
    body: { amount, currency: 'EUR', provider: 'stripe', donorEmail: 'donor@example.com' },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return { id: res.body.id, sessionId: res.body.providerRefs.checkoutSessionId };
}

const status = async (world: World, id: string) =>
  (await world.api('GET', `/donations/${id}`)).body.status as string;
const answerOf = (d: { body: string }) => JSON.parse(d.body) as { outcome: string };
const deliveriesOf = (world: World, eventId: string) =>
  world.stripe.deliveries.filter((d) => d.eventId === eventId);
const row = (world: World, eventId: string) =>
  world.db.webhookDelivery.findFirstOrThrow({ where: { providerEventId: eventId } });

describe('webhooks are stored, answered, then applied', () => {
  it('a refund that overtook its payment: 200 queued, applied once the payment arrives, each event delivered once', async () => {
    const { id, sessionId } = await donate(w, 2000);
    const paid = await w.stripe.pay(sessionId, { deliver: false });
    const intentId = w.stripe.sessions.get(sessionId)!.payment_intent as string;
    const sdk = new Stripe('sk_test_payment', w.stripe.sdkOptions());
    await sdk.refunds.create({ payment_intent: intentId });
    const chargeId = w.stripe.paymentIntents.get(intentId)!.latest_charge as string;
    const refunded = w.stripe.event('charge.refunded', w.stripe.charges.get(chargeId)!);

    const early = await w.stripe.deliver(refunded);
    expect(early.status).toBe(200);
    expect(answerOf(early).outcome).toMatch(/^queued: waiting/);
    expect(await row(w, refunded.id)).toMatchObject({ state: 'received', attempts: 1 });

    for (const e of paid) expect((await w.stripe.deliver(e)).status).toBe(200);
    await eventually(async () => expect(await status(w, id)).toBe('refunded'));
    expect(await row(w, refunded.id)).toMatchObject({ state: 'applied', donationId: id });
    for (const e of [refunded, ...paid]) expect(deliveriesOf(w, e.id)).toHaveLength(1);
    await eventually(() => expect(w.events('payment.refunded.v1', id)).toHaveLength(1));
    expect(await w.db.refund.count({ where: { donationId: id } })).toBe(1);
  });

  it('Stripe unreachable for the fee: 200 queued, and the donation succeeds once Stripe answers again', async () => {
    const { id, sessionId } = await donate(w, 3100);
    const paid = await w.stripe.pay(sessionId, { deliver: false });
    const port = w.stripe.port;
    await w.stripe.stop();
    try {
      for (const e of paid) {
        const d = await w.stripe.deliver(e);
        expect(d.status).toBe(200);
        expect(answerOf(d).outcome).toMatch(/^queued: provider unreachable/);
      }
      expect(await status(w, id)).toBe('pending');
    } finally {
      await w.stripe.start(port);
    }
    await eventually(async () => expect(await status(w, id)).toBe('succeeded'));
    const view = (await w.api('GET', `/donations/${id}`)).body;
    expect(view.fee).toEqual({ minor: Math.round(3100 * 0.029) + 30, currency: 'EUR' });
    for (const e of paid) expect(deliveriesOf(w, e.id)).toHaveLength(1);
    await eventually(() => expect(w.events('payment.succeeded.v1', id)).toHaveLength(1));
  });

  it('stored but not applied when the process stops: a restart applies it exactly once; a redelivery meanwhile changes nothing', async () => {
    const { id, sessionId } = await donate(w, 4200);
    const paid = await w.stripe.pay(sessionId, { deliver: false });
    // The process stops applying (as if it died right after answering).
    await w.service.deps.webhooks.stop();
    try {
      for (const e of paid) {
        const d = await w.stripe.deliver(e);
        expect([d.status, answerOf(d).outcome]).toEqual([200, 'queued']);
      }
      const again = await w.stripe.deliver(paid[1]!);
      expect([again.status, answerOf(again).outcome]).toEqual([200, 'duplicate']);
      await new Promise((r) => setTimeout(r, 300));
      expect(await status(w, id)).toBe('pending');
      for (const e of paid) expect(await row(w, e.id)).toMatchObject({ state: 'received' });

      // Another process starts on the same database: it picks up what was stored.
      await w.replica();
      await eventually(async () => expect(await status(w, id)).toBe('succeeded'));
    } finally {
      w.service.deps.webhooks.start();
    }
    await eventually(async () => {
      for (const e of paid) expect(await row(w, e.id)).toMatchObject({ state: 'applied' });
    });
    await eventually(() => expect(w.events('payment.succeeded.v1', id)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 500));
    expect(w.events('payment.succeeded.v1', id)).toHaveLength(1);
    expect(await w.db.webhookDelivery.count({ where: { providerEventId: paid[1]!.id } })).toBe(1);
  });

  it('the database unavailable before storing: 503 with Retry-After, and Stripe is not asked', async () => {
    const { sessionId } = await donate(w, 1700);
    const [completed] = await w.stripe.pay(sessionId, { deliver: false });
    const calls = w.stripe.calls.length;
    // A replica whose database is away (nothing listens on port 1).
    const db = createPrisma(PrismaClient, 'postgresql://127.0.0.1:1/nowhere');
    const logger = pino({ level: 'silent' });
    const cut = createPaymentService({
      db,
      transport: new InProcessTransport({ logger }),
      logger,
      config: w.service.deps.config,
    });
    const server = await listen(cut.app, 0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await postSignedStripe({ base, stripe: w.stripe }, JSON.stringify(completed));
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(w.stripe.calls.length).toBe(calls);
    } finally {
      await closeServer(server);
      await db.$disconnect();
    }
  });
});

describe('a delivery that never applies', () => {
  let g: World;
  beforeAll(async () => {
    g = await openWorld(
      { WEBHOOK_RETRY_WINDOW_SECONDS: '1' },
      { stripe: { autoRefundWebhooks: false } },
    );
  });
  afterAll(async () => {
    await g?.close();
  });

  it('is given up after the retry window: logged, counted, and listed for finance', async () => {
    const { id, sessionId } = await donate(g, 2600);
    await g.stripe.pay(sessionId, { deliver: false }); // the payment webhooks never arrive
    const intentId = g.stripe.sessions.get(sessionId)!.payment_intent as string;
    const sdk = new Stripe('sk_test_payment', g.stripe.sdkOptions());
    await sdk.refunds.create({ payment_intent: intentId });
    const chargeId = g.stripe.paymentIntents.get(intentId)!.latest_charge as string;
    const refunded = g.stripe.event('charge.refunded', g.stripe.charges.get(chargeId)!);
    expect((await g.stripe.deliver(refunded)).status).toBe(200);

    await eventually(async () =>
      expect(await row(g, refunded.id)).toMatchObject({ state: 'gave-up' }),
    );
    const listed = await g.api('GET', '/webhook-deliveries', { key: 'finance' });
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries).toEqual([
      expect.objectContaining({
        eventId: refunded.id,
        type: 'charge.refunded',
        state: 'gave-up',
        lastError: expect.stringMatching(/^waiting: /),
      }),
    ]);
    expect(listed.body.deliveries[0].attempts).toBeGreaterThanOrEqual(2);
    expect((await g.api('GET', '/webhook-deliveries', { key: 'staffA' })).status).toBe(403);
    const metrics = await (await fetch(`${g.base}/metrics`)).text();
    expect(metrics).toMatch(/webhook_deliveries_gave_up_total\{provider="stripe"\} 1/);
    expect(await status(g, id)).toBe('pending');
    expect(deliveriesOf(g, refunded.id)).toHaveLength(1);
  });
});

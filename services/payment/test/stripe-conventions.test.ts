// Stripe conventions, through the real stripe SDK against the fake: the pinned API version,
// Checkout as a donation in the donor's language, an abandoned checkout ending "expired", and
// an idempotency key on every refund.
import { eventually, openStream } from '@bfi/testing';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../src/providers/stripe';
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w?.close();
});

async function donate(extra: Record<string, unknown> = {}) {
  const res = await w.api('POST', '/donations', {
    body: { amount: 2000, currency: 'BYN', provider: 'stripe', ...extra },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return {
    id: res.body.id as string,
    sessionId: res.body.providerRefs.checkoutSessionId as string,
  };
}

/** The Checkout Session create call the fake received for this donation. */
function sessionCreate(donationId: string) {
  return w.stripe.calls.find(
    (c) =>
      c.method === 'POST' &&
      c.path === '/v1/checkout/sessions' &&
      c.body.client_reference_id === donationId,
  )!;
}

describe('Stripe Checkout', () => {
  it('is a donation in the page language (ru → ru, en → en, be → auto), on the pinned API version', async () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
    const seen: Record<string, unknown> = {};
    for (const locale of ['ru', 'en', 'be', undefined]) {
      const { id, sessionId } = await donate(locale ? { locale } : {});
      const call = sessionCreate(id);
      expect(call.body.submit_type).toBe('donate');
      expect(call.stripeVersion).toBe(STRIPE_API_VERSION);
      expect(w.stripe.sessions.get(sessionId)).toMatchObject({ submit_type: 'donate' });
      seen[locale ?? 'none'] = call.body.locale;
    }
    expect(seen).toEqual({ ru: 'ru', en: 'en', be: 'auto', none: 'auto' });
  });

  it('refuses a page language the donor pages do not have, before anything is created', async () => {
    const before = await w.db.donation.count();
    const res = await w.api('POST', '/donations', {
      body: { amount: 2000, currency: 'BYN', provider: 'stripe', locale: 'de' },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/be, ru, en/);
    expect(await w.db.donation.count()).toBe(before);
  });
});

describe('an abandoned Stripe checkout', () => {
  it('ends "expired" when Stripe expires the session: status API and live stream say so, no payment event, redelivery changes nothing', async () => {
    const { id, sessionId } = await donate({ locale: 'en' });
    const stream = await openStream(`${w.base}/donations/${id}/events`);
    try {
      const first = await stream.until((e) => e.event === 'status');
      expect(JSON.parse(first!.data!).status).toBe('pending');

      // What Stripe does when the session's expires_at passes (or it is expired by the API).
      const client = new Stripe('sk_test_payment', {
        ...w.stripe.sdkOptions(),
        apiVersion: STRIPE_API_VERSION,
      });
      await client.checkout.sessions.expire(sessionId);
      await eventually(() =>
        expect(
          w.stripe.deliveries.filter(
            (d) => d.type === 'checkout.session.expired' && d.status === 200,
          ),
        ).toHaveLength(1),
      );
      const live = await stream.until(
        (e) => e.event === 'status' && JSON.parse(e.data!).status === 'expired',
      );
      expect(JSON.parse(live!.data!)).toMatchObject({ id, status: 'expired', redirectUrl: null });
    } finally {
      stream.close();
    }
    const donation = (await w.api('GET', `/donations/${id}`)).body;
    expect(donation).toMatchObject({ status: 'expired', redirectUrl: null, receipt: null });

    // Stripe delivers again: nothing changes, and no payment.* event was ever published.
    const event = w.stripe.events.find(
      (e) => e.type === 'checkout.session.expired' && e.data.object.id === sessionId,
    )!;
    expect(event.api_version).toBe(STRIPE_API_VERSION);
    expect((await w.stripe.deliver(event)).body).toMatch(/duplicate/);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events(undefined, id)).toEqual([]);
    // And the expired donation cannot be refunded.
    const refund = await w.api('POST', `/donations/${id}/refunds`, { body: {}, key: 'finance' });
    expect(refund.status).toBe(409);
  });

  it('a declined card, then the session expires: failed, then expired', async () => {
    const { id, sessionId } = await donate();
    await w.stripe.pay(sessionId, { outcome: 'failed' });
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('failed');
    await w.stripe.expire(sessionId);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('expired');
    await eventually(() => expect(w.events('payment.failed.v1', id)).toHaveLength(1));
  });

  it("sessions past their expires_at on Stripe's clock all end expired; a paid one stays paid", async () => {
    const open = await donate();
    const paid = await donate();
    await w.stripe.pay(paid.sessionId);
    const expiresAt = w.stripe.sessions.get(open.sessionId)!.expires_at as number;
    await w.stripe.expireDue(expiresAt + 1);
    expect((await w.api('GET', `/donations/${open.id}`)).body.status).toBe('expired');
    expect((await w.api('GET', `/donations/${paid.id}`)).body.status).toBe('succeeded');
  });
});

describe('refunds at Stripe', () => {
  it('every refund create carries an Idempotency-Key, also when the request had none; a retry reuses it', async () => {
    const { id, sessionId } = await donate();
    await w.stripe.pay(sessionId);
    const refund = (key?: string) =>
      w.api('POST', `/donations/${id}/refunds`, {
        body: { amount: 500 },
        key: 'finance',
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
    expect((await refund()).status).toBe(201);
    expect((await refund('finance-refund-0001')).status).toBe(201);
    const creates = () =>
      w.stripe.calls.filter((c) => c.method === 'POST' && c.path === '/v1/refunds');
    expect(creates()).toHaveLength(2);
    for (const call of creates()) expect(call.idempotencyKey).toMatch(new RegExp(`^refund-${id}-`));
    // The same header again (a retry after a lost answer): the same key at Stripe, no new refund.
    const retried = await refund('finance-refund-0001');
    expect(retried.status).toBe(201);
    expect(creates().at(-1)!.idempotencyKey).toBe(creates()[1]!.idempotencyKey);
    expect(
      [...w.stripe.refunds.values()].filter(
        (r) => r.payment_intent === retried.body.providerRefs.paymentIntentId,
      ),
    ).toHaveLength(2);
    expect(retried.body.refunded).toEqual({ minor: 1000, currency: 'BYN' });
  });
});

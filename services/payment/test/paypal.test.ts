import { eventually } from '@bfi/testing';
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w?.close();
});

async function donate(amount = 1000, currency = 'EUR') {
  const res = await w.api('POST', '/donations', {
    body: { amount, currency, provider: 'paypal' },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return {
    id: res.body.id as string,
    orderId: res.body.providerRefs.orderId as string,
    redirectUrl: res.body.redirectUrl as string,
  };
}

describe('PayPal', () => {
  it('approve → the service captures → succeeded with the PayPal fee, one payment.succeeded on Kafka', async () => {
    const { id, orderId, redirectUrl } = await donate(1000, 'EUR');
    expect(redirectUrl).toBe(`${w.paypal.url}/checkoutnow?token=${orderId}`);
    const approved = await w.paypal.approve(orderId);
    expect(w.paypal.deliveries.at(-1)!.status).toBe(200);
    const donation = (await w.api('GET', `/donations/${id}`)).body;
    expect(donation).toMatchObject({
      status: 'succeeded',
      fee: { minor: Math.round(1000 * 0.0349) + 49, currency: 'EUR' },
    });
    // PayPal's own PAYMENT.CAPTURE.COMPLETED follows the capture; it must not publish twice.
    await eventually(() =>
      expect(
        w.paypal.deliveries.filter(
          (d) => d.type === 'PAYMENT.CAPTURE.COMPLETED' && d.status === 200,
        ),
      ).toHaveLength(1),
    );
    // And the same APPROVED delivery again (PayPal retries) is a no-op.
    expect((await w.paypal.deliver(approved)).status).toBe(200);
    const events = await eventually(() => {
      const found = w.events('payment.succeeded.v1', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0]!.data).toMatchObject({
      provider: 'paypal',
      gross: { minor: 1000, currency: 'EUR' },
      providerRefs: { orderId, captureId: expect.any(String) },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events('payment.succeeded.v1', id)).toHaveLength(1);
  });

  it('refuses PayPal for BYN with a clear message and creates nothing', async () => {
    const before = await w.db.donation.count();
    const res = await w.api('POST', '/donations', {
      body: { amount: 1000, currency: 'BYN', provider: 'paypal' },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/PayPal does not support BYN/);
    expect(await w.db.donation.count()).toBe(before);
  });

  it('a webhook PayPal did not sign → 400 and nothing stored', async () => {
    const { id, orderId } = await donate(500, 'USD');
    const event = w.paypal.event(
      'CHECKOUT.ORDER.APPROVED',
      'checkout-order',
      { id: orderId, purchase_units: [{ custom_id: id }] },
      'forged',
    );
    const res = await fetch(`${w.base}/webhooks/paypal`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'paypal-transmission-id': 'made-up',
        'paypal-transmission-sig': 'AAAA',
        'paypal-transmission-time': new Date().toISOString(),
        'paypal-cert-url': 'https://api.paypal.com/cert',
        'paypal-auth-algo': 'SHA256withRSA',
      },
      body: JSON.stringify(event),
    });
    expect(res.status).toBe(400);
    expect(await w.db.webhookDelivery.count({ where: { providerEventId: event.id } })).toBe(0);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('pending');
    expect(w.paypal.calls.some((c) => c.path.endsWith(`${orderId}/capture`))).toBe(false);
  });

  it('a declined capture ends failed with payment.failed', async () => {
    const { id, orderId } = await donate(800, 'USD');
    w.paypal.declineCapture(orderId);
    await w.paypal.approve(orderId);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('failed');
    await eventually(() => expect(w.events('payment.failed.v1', id)).toHaveLength(1));
  });

  it('partial refund via the API, then a PayPal reversal of the rest; REFUNDED webhook adds nothing twice', async () => {
    const { id, orderId } = await donate(2000, 'USD');
    await w.paypal.approve(orderId);
    const refund = await w.api('POST', `/donations/${id}/refunds`, {
      body: { amount: 500 },
      key: 'finance',
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({
      status: 'partially_refunded',
      refunded: { minor: 500, currency: 'USD' },
    });
    await eventually(() =>
      expect(
        w.paypal.deliveries.filter(
          (d) => d.type === 'PAYMENT.CAPTURE.REFUNDED' && d.status === 200,
        ),
      ).toHaveLength(1),
    );
    expect(await w.db.refund.count({ where: { donationId: id } })).toBe(1);
    const captureId = refund.body.providerRefs.captureId as string;
    const reversal = await w.paypal.reverse(captureId, { deliver: false });
    (reversal.resource.amount as { value: string }).value = '15.00';
    expect((await w.paypal.deliver(reversal)).status).toBe(200);
    expect((await w.api('GET', `/donations/${id}`)).body).toMatchObject({
      status: 'refunded',
      refunded: { minor: 2000, currency: 'USD' },
    });
    await eventually(() =>
      expect(
        w
          .events('payment.refunded.v1', id)
          .map((e) => (e.data as { fullyRefunded: boolean }).fullyRefunded),
      ).toEqual([false, true]),
    );
  });
});

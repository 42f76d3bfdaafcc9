// PayPal conventions through the real @paypal/checkout-server-sdk against the fake: webhook
// verification on the exact bytes PayPal signed, experience_context on the order, and the
// capture made exactly once whether the donor's return or the webhook (or both, or retries)
// asks for it.
import { eventually } from '@bfi/testing';
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld({ PAYPAL_BRAND_NAME: 'Bullying-free Internet' });
});
afterAll(async () => {
  await w?.close();
});

async function donate(extra: Record<string, unknown> = {}) {
  const res = await w.api('POST', '/donations', {
    body: { amount: 1500, currency: 'EUR', provider: 'paypal', ...extra },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return {
    id: res.body.id as string,
    orderId: res.body.providerRefs.orderId as string,
    secret: res.body.donorSecret as string,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PayPal orders', () => {
  it('send payment_source.paypal.experience_context (not application_context) in the page language', async () => {
    const locales: Record<string, unknown> = {};
    for (const locale of ['ru', 'en', 'be']) {
      const { id, orderId } = await donate({ locale });
      const create = w.paypal.calls.find(
        (c) =>
          c.path === '/v2/checkout/orders' &&
          (c.body as { purchase_units: { custom_id: string }[] }).purchase_units[0]!.custom_id ===
            id,
      )!.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request body as sent
      expect(create.application_context).toBeUndefined();
      const context = create.payment_source.paypal.experience_context;
      expect(context).toMatchObject({
        return_url: expect.stringContaining(`/thanks/${id}?s=`),
        cancel_url: expect.stringContaining(`/thanks/${id}`),
        brand_name: 'Bullying-free Internet',
        user_action: 'PAY_NOW',
        shipping_preference: 'NO_SHIPPING',
      });
      locales[locale] = context.locale;
      // The donor is sent to PayPal's payer-action link of the order.
      expect((await w.api('GET', `/donations/${id}`)).body.redirectUrl).toBe(
        `${w.paypal.url}/checkoutnow?token=${orderId}`,
      );
    }
    expect(locales).toEqual({ ru: 'ru-RU', en: 'en-US', be: undefined });
  });
});

describe('PayPal webhook verification', () => {
  it('passes the exact bytes PayPal sent: a delivery that re-serializing would change is accepted', async () => {
    const { id, orderId } = await donate();
    const approved = await w.paypal.approve(orderId, { deliver: false });
    // Spacing and escaped slashes that JSON.parse + JSON.stringify would not give back.
    const payload = JSON.stringify(approved, null, 2).replaceAll('/', '\\/');
    expect(JSON.stringify(JSON.parse(payload))).not.toBe(payload);
    const delivery = await w.paypal.deliver(approved, undefined, payload);
    expect(delivery.status).toBe(200);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('succeeded');
    const verify = w.paypal.calls.filter(
      (c) => c.path === '/v1/notifications/verify-webhook-signature',
    );
    expect(verify.at(-1)!.body).toMatchObject({ webhook_id: 'WH-TEST-1' });
  });

  it('refuses a body changed after signing (same event id, other amount) with 400, storing nothing', async () => {
    const { id } = await donate();
    const event = w.paypal.event(
      'PAYMENT.CAPTURE.COMPLETED',
      'capture',
      {
        id: 'CAPFORGED1',
        status: 'COMPLETED',
        custom_id: id,
        amount: { currency_code: 'EUR', value: '15.00' },
      },
      'Payment completed',
    );
    const signed = JSON.stringify(event);
    const headers = w.paypal.transmissionHeaders(signed);
    const res = await fetch(`${w.base}/webhooks/paypal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: signed.replace('"15.00"', '"1500.00"'),
    });
    expect(res.status).toBe(400);
    expect(await w.db.webhookDelivery.count({ where: { providerEventId: event.id } })).toBe(0);
    expect((await w.api('GET', `/donations/${id}`)).body.status).toBe('pending');
  });
});

describe('capture on the donor return and on the webhook, exactly once', () => {
  it('return and webhook at once, each twice: one capture at PayPal, one success, one receipt, one payment.succeeded', async () => {
    const { id, orderId, secret } = await donate({ locale: 'en' });
    const approved = await w.paypal.approve(orderId, { deliver: false });
    const back = () =>
      w.api('POST', `/donations/${id}/paypal-return`, { headers: { 'x-donor-secret': secret } });
    const [r1, r2, d1, d2] = await Promise.all([
      back(),
      back(),
      w.paypal.deliver(approved),
      w.paypal.deliver(approved),
    ]);
    expect([r1.status, r2.status, d1.status, d2.status]).toEqual([200, 200, 200, 200]);
    const captures = [...w.paypal.captures.values()].filter(
      (c) =>
        (c.supplementary_data as { related_ids: { order_id: string } }).related_ids.order_id ===
        orderId,
    );
    expect(captures).toHaveLength(1);
    // PayPal sends its own PAYMENT.CAPTURE.COMPLETED for that one capture, once; it is absorbed.
    const completed = w.paypal.events.filter(
      (e) => e.event_type === 'PAYMENT.CAPTURE.COMPLETED' && e.resource.id === captures[0]!.id,
    );
    expect(completed).toHaveLength(1);
    await eventually(() =>
      expect(w.paypal.deliveries.find((d) => d.eventId === completed[0]!.id)?.status).toBe(200),
    );
    // A later redelivery and another return change nothing.
    expect((await w.paypal.deliver(approved)).status).toBe(200);
    expect((await back()).body).toMatchObject({ status: 'succeeded' });
    const donation = (await w.api('GET', `/donations/${id}`)).body;
    expect(donation).toMatchObject({
      status: 'succeeded',
      providerRefs: { orderId, captureId: captures[0]!.id },
    });
    expect(donation.receipt.number).toMatch(/^BFI-\d{4}-\d{6}$/);
    await eventually(() => expect(w.events('payment.succeeded.v1', id)).toHaveLength(1));
    await sleep(500);
    expect(w.events('payment.succeeded.v1', id)).toHaveLength(1);
    const row = await w.db.donation.findUniqueOrThrow({ where: { id } });
    expect(row.receiptNumber).toBe(donation.receipt.number);
  });

  it('the return alone captures (the webhook never came): succeeded at once', async () => {
    const { id, orderId, secret } = await donate();
    await w.paypal.approve(orderId, { deliver: false });
    const res = await w.api('POST', `/donations/${id}/paypal-return`, {
      headers: { 'x-donor-secret': secret },
    });
    expect(res.body).toMatchObject({ status: 'succeeded', fee: { currency: 'EUR' } });
    await eventually(() => expect(w.events('payment.succeeded.v1', id)).toHaveLength(1));
  });

  it('refuses another device (no or wrong secret) with 403, and captures nothing before approval', async () => {
    const { id, orderId, secret } = await donate();
    const other = await donate();
    const attempts: Record<string, string>[] = [{}, { 'x-donor-secret': other.secret }];
    for (const headers of attempts) {
      const res = await w.api('POST', `/donations/${id}/paypal-return`, { headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // Back without approving (the donor closed PayPal's page): still pending, nothing captured.
    const early = await w.api('POST', `/donations/${id}/paypal-return`, {
      headers: { 'x-donor-secret': secret },
    });
    expect(early.status).toBe(200);
    expect(early.body.status).toBe('pending');
    expect(w.paypal.orders.get(orderId)!.status).toBe('PAYER_ACTION_REQUIRED');
  });
});

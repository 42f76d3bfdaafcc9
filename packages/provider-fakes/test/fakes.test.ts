import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import paypal from '@paypal/checkout-server-sdk';
import Stripe from 'stripe';
import { FakePayPal, FakeStripe, parseStripeForm, toMajor, toMinor } from '../src';

/** A webhook receiver that records what arrives (stands in for the payment service). */
async function receiver(): Promise<{
  url: string;
  got: { headers: Record<string, unknown>; body: string }[];
  close(): Promise<void>;
}> {
  const got: { headers: Record<string, unknown>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('parseStripeForm', () => {
  it('rebuilds nested objects and arrays from bracket keys', () => {
    expect(
      parseStripeForm('line_items[0][price_data][unit_amount]=1250&metadata[a]=b&expand[0]=x'),
    ).toEqual({
      line_items: [{ price_data: { unit_amount: '1250' } }],
      metadata: { a: 'b' },
      expand: ['x'],
    });
  });
});

describe('amount strings', () => {
  it('converts between minor units and PayPal decimal strings', () => {
    expect(toMajor(1250, 'USD')).toBe('12.50');
    expect(toMajor(5, 'EUR')).toBe('0.05');
    expect(toMinor('12.5', 'USD')).toBe(1250);
    expect(toMinor('12.555', 'USD')).toBeNull();
    expect(toMinor('1200', 'JPY')).toBe(1200);
  });
});

describe('FakeStripe with the real stripe SDK', () => {
  const fake = new FakeStripe({ webhookSecret: 'whsec_test_secret' });
  let hook: Awaited<ReturnType<typeof receiver>>;
  let stripe: Stripe;

  beforeAll(async () => {
    await fake.start();
    hook = await receiver();
    fake.webhookUrl = hook.url;
    stripe = new Stripe('sk_test_fake', fake.sdkOptions());
  });
  afterAll(async () => {
    await fake.stop();
    await hook.close();
  });

  it('creates a session, pays it, signs events the SDK verifies, expands the fee, refunds', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: { currency: 'usd', unit_amount: 2500, product_data: { name: 'Gift' } },
        },
      ],
      success_url: 'http://example.test/thanks',
      payment_intent_data: { metadata: { donationId: 'd-1' } },
      metadata: { donationId: 'd-1' },
    });
    expect(session.url).toContain(`/checkout/${session.id}`);
    expect(session.amount_total).toBe(2500);

    const events = await fake.pay(session.id);
    expect(events.map((e) => e.type)).toEqual([
      'checkout.session.completed',
      'payment_intent.succeeded',
    ]);
    expect(hook.got).toHaveLength(2);
    const verified = stripe.webhooks.constructEvent(
      hook.got[1]!.body,
      String(hook.got[1]!.headers['stripe-signature']),
      'whsec_test_secret',
    );
    expect(verified.type).toBe('payment_intent.succeeded');
    expect(() =>
      stripe.webhooks.constructEvent(
        hook.got[1]!.body,
        String(hook.got[1]!.headers['stripe-signature']),
        'whsec_other',
      ),
    ).toThrow();

    const intentId = (verified.data.object as Stripe.PaymentIntent).id;
    const intent = await stripe.paymentIntents.retrieve(intentId, {
      expand: ['latest_charge.balance_transaction'],
    });
    const charge = intent.latest_charge as Stripe.Charge;
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(
      Math.round(2500 * 0.029) + 30,
    );
    expect(intent.metadata.donationId).toBe('d-1');

    const refund = await stripe.refunds.create({ payment_intent: intentId, amount: 1000 });
    expect(refund.amount).toBe(1000);
    await expect(stripe.refunds.create({ payment_intent: intentId, amount: 2000 })).rejects.toThrow(
      /greater than unrefunded/,
    );
    const list = await stripe.refunds.list({ charge: charge.id });
    expect(list.data.map((r) => r.id)).toEqual([refund.id]);
  });

  it('refuses a missing API key like Stripe', async () => {
    const res = await fetch(`${fake.url}/v1/checkout/sessions/cs_x`);
    expect(res.status).toBe(401);
  });
});

describe('FakeStripe honours idempotency keys as Stripe does', () => {
  const fake = new FakeStripe({ latencyMs: 200 });
  let stripe: Stripe;
  const params = (amount: number): Stripe.Checkout.SessionCreateParams => ({
    mode: 'payment',
    success_url: 'https://example.org/thanks',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'byn', unit_amount: amount, product_data: { name: 'Gift' } },
      },
    ],
  });

  beforeAll(async () => {
    await fake.start();
    stripe = new Stripe('sk_test_fake', fake.sdkOptions());
  });
  afterAll(() => fake.stop());

  it('same key and parameters → the same session, no second one; other parameters → 400', async () => {
    const first = await stripe.checkout.sessions.create(params(1000), { idempotencyKey: 'k-same' });
    const again = await stripe.checkout.sessions.create(params(1000), { idempotencyKey: 'k-same' });
    expect(again.id).toBe(first.id);
    expect(fake.sessions.size).toBe(1);
    await expect(
      stripe.checkout.sessions.create(params(2000), { idempotencyKey: 'k-same' }),
    ).rejects.toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    expect(fake.sessions.size).toBe(1);
  });

  it('a key whose first request is still running → 409 for the others', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map(() =>
        stripe.checkout.sessions.create(params(500), { idempotencyKey: 'k-flight' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ statusCode: 409 });
    expect(fake.sessions.size).toBe(2);
  });
});

describe('FakePayPal with the real @paypal/checkout-server-sdk', () => {
  const fake = new FakePayPal({ webhookId: 'WH-1' });
  let hook: Awaited<ReturnType<typeof receiver>>;
  let client: paypal.core.PayPalHttpClient;

  beforeAll(async () => {
    await fake.start();
    hook = await receiver();
    fake.webhookUrl = hook.url;
    const env = new paypal.core.PayPalEnvironment(
      fake.clientId,
      fake.clientSecret,
      fake.url,
      fake.url,
    );
    client = new paypal.core.PayPalHttpClient(env);
  });
  afterAll(async () => {
    await fake.stop();
    await hook.close();
  });

  it('creates, approves, captures (with fee), refunds, and verifies only its own signatures', async () => {
    const create = new paypal.orders.OrdersCreateRequest();
    create.requestBody({
      intent: 'CAPTURE',
      purchase_units: [{ custom_id: 'd-2', amount: { currency_code: 'EUR', value: '10.00' } }],
    });
    const order = await client.execute<{ id: string; links: { rel: string; href: string }[] }>(
      create,
    );
    expect(order.statusCode).toBe(201);
    expect(order.result.links.find((l) => l.rel === 'approve')?.href).toContain(order.result.id);

    await fake.approve(order.result.id);
    const capture = await client.execute<{
      purchase_units: {
        payments: {
          captures: {
            id: string;
            seller_receivable_breakdown: { paypal_fee: { value: string } };
          }[];
        };
      }[];
    }>(new paypal.orders.OrdersCaptureRequest(order.result.id));
    const cap = capture.result.purchase_units[0]!.payments.captures[0]!;
    expect(cap.seller_receivable_breakdown.paypal_fee.value).toBe(
      toMajor(Math.round(1000 * 0.0349) + 49, 'EUR'),
    );

    const refund = new paypal.payments.CapturesRefundRequest(cap.id);
    refund.requestBody({ amount: { currency_code: 'EUR', value: '4.00' } });
    expect((await client.execute<{ status: string }>(refund)).result.status).toBe('COMPLETED');

    await new Promise((r) => setTimeout(r, 100));
    const approved = hook.got[0]!;
    const verify = (headers: Record<string, unknown>, body: string) =>
      client.execute<{ verification_status: string }>({
        path: '/v1/notifications/verify-webhook-signature',
        verb: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: {
          auth_algo: headers['paypal-auth-algo'],
          cert_url: headers['paypal-cert-url'],
          transmission_id: headers['paypal-transmission-id'],
          transmission_sig: headers['paypal-transmission-sig'],
          transmission_time: headers['paypal-transmission-time'],
          webhook_id: 'WH-1',
          webhook_event: JSON.parse(body),
        },
      });
    expect((await verify(approved.headers, approved.body)).result.verification_status).toBe(
      'SUCCESS',
    );
    expect(
      (await verify({ ...approved.headers, 'paypal-transmission-sig': 'forged' }, approved.body))
        .result.verification_status,
    ).toBe('FAILURE');
    const types = hook.got.map((g) => (JSON.parse(g.body) as { event_type: string }).event_type);
    expect(types).toEqual([
      'CHECKOUT.ORDER.APPROVED',
      'PAYMENT.CAPTURE.COMPLETED',
      'PAYMENT.CAPTURE.REFUNDED',
    ]);
  });

  it('PayPal-Request-Id: the same request → the same order; the same id for another request → 422', async () => {
    const order = (value: string) => {
      const create = new paypal.orders.OrdersCreateRequest();
      create.requestBody({
        intent: 'CAPTURE',
        purchase_units: [{ amount: { currency_code: 'EUR', value } }],
      });
      create.headers['PayPal-Request-Id'] = 'order-same';
      return create;
    };
    const before = fake.orders.size;
    const first = await client.execute<{ id: string }>(order('10.00'));
    const again = await client.execute<{ id: string }>(order('10.00'));
    expect(again.result.id).toBe(first.result.id);
    expect(fake.orders.size).toBe(before + 1);
    await expect(client.execute(order('20.00'))).rejects.toMatchObject({ statusCode: 422 });
    expect(fake.orders.size).toBe(before + 1);
  });

  it('refuses BYN like PayPal', async () => {
    const create = new paypal.orders.OrdersCreateRequest();
    create.requestBody({
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'BYN', value: '10.00' } }],
    });
    await expect(client.execute(create)).rejects.toMatchObject({ statusCode: 422 });
  });
});

// The provider conventions the fakes must keep as Stripe and PayPal do: PayPal's signature over
// the exact body bytes (so a re-serialized body fails), its certificate, experience_context;
// Stripe's API version on events, Checkout's locale and submit_type, expiring a session.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import paypal from '@paypal/checkout-server-sdk';
import Stripe from 'stripe';
import { FakePayPal, FakeStripe } from '../src';

/** A webhook receiver that keeps each delivery's headers and exact body. */
async function receiver() {
  const got: { headers: Record<string, string>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('FakePayPal signs and verifies webhooks the way PayPal does', () => {
  const fake = new FakePayPal({ webhookId: 'WHTEST42' });
  let hook: Awaited<ReturnType<typeof receiver>>;
  let token: string;

  beforeAll(async () => {
    await fake.start();
    hook = await receiver();
    fake.webhookUrl = hook.url;
    const res = await fetch(`${fake.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await fake.stop();
    await hook.close();
  });

  /** verify-webhook-signature with `webhookEvent` spliced in as text, as a listener would send it. */
  async function verify(
    headers: Record<string, string>,
    webhookEvent: string,
    webhookId = 'WHTEST42',
  ) {
    const head = JSON.stringify({
      auth_algo: headers['paypal-auth-algo'],
      cert_url: headers['paypal-cert-url'],
      transmission_id: headers['paypal-transmission-id'],
      transmission_sig: headers['paypal-transmission-sig'],
      transmission_time: headers['paypal-transmission-time'],
      webhook_id: webhookId,
    });
    const res = await fetch(`${fake.url}/v1/notifications/verify-webhook-signature`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: `${head.slice(0, -1)},"webhook_event":${webhookEvent}}`,
    });
    return ((await res.json()) as { verification_status: string }).verification_status;
  }

  it('SUCCESS for the raw body; FAILURE once the same event is re-serialized (key order, spacing)', async () => {
    const event = fake.event(
      'CHECKOUT.ORDER.APPROVED',
      'checkout-order',
      { id: 'O-1', amount: 1.0 },
      'x',
    );
    // What a PayPal delivery can look like on the wire: spacing JSON.stringify does not keep.
    const payload = JSON.stringify(event, null, 1);
    await fake.deliver(event, hook.url, payload);
    const { headers, body } = hook.got.at(-1)!;
    expect(body).toBe(payload);
    expect(await verify(headers, body)).toBe('SUCCESS');

    const parsed = JSON.parse(body) as Record<string, unknown>;
    // What a framework's parsed body gives back: the same event, other bytes.
    expect(await verify(headers, JSON.stringify(parsed))).toBe('FAILURE');
    const reordered = Object.fromEntries(Object.entries(parsed).reverse());
    expect(await verify(headers, JSON.stringify(reordered, null, 1))).toBe('FAILURE');
    // Other webhook id, other signature, other algorithm or certificate: FAILURE as well.
    expect(await verify(headers, body, 'WHOTHER')).toBe('FAILURE');
    const forged = { ...headers, 'paypal-transmission-sig': Buffer.alloc(256).toString('base64') };
    expect(await verify(forged, body)).toBe('FAILURE');
    expect(await verify({ ...headers, 'paypal-auth-algo': 'SHA1withRSA' }, body)).toBe('FAILURE');
    expect(
      await verify({ ...headers, 'paypal-cert-url': 'https://evil.example/cert.pem' }, body),
    ).toBe('FAILURE');
  });

  it('serves an X.509 certificate at PAYPAL-CERT-URL that checks id|time|webhook id|CRC32 offline', async () => {
    const event = fake.event('PAYMENT.CAPTURE.COMPLETED', 'capture', { id: 'C-1' }, 'y');
    await fake.deliver(event);
    const { headers, body } = hook.got.at(-1)!;
    expect(headers['paypal-auth-algo']).toBe('SHA256withRSA');
    const certificate = new X509Certificate(
      Buffer.from(await (await fetch(headers['paypal-cert-url']!)).arrayBuffer()),
    );
    const signed = [
      headers['paypal-transmission-id'],
      headers['paypal-transmission-time'],
      'WHTEST42',
      String(crc32(Buffer.from(body)) >>> 0),
    ].join('|');
    const check = (text: string) =>
      createVerify('RSA-SHA256')
        .update(text)
        .verify(certificate.publicKey, headers['paypal-transmission-sig']!, 'base64');
    expect(check(signed)).toBe(true);
    expect(check(signed.replace(/\|\d+$/, `|${crc32(Buffer.from(`${body} `)) >>> 0}`))).toBe(false);
  });

  it('takes payment_source.paypal.experience_context (payer-action link) and still the old application_context', async () => {
    const client = new paypal.core.PayPalHttpClient(
      new paypal.core.PayPalEnvironment(fake.clientId, fake.clientSecret, fake.url, fake.url),
    );
    const order = (context: Record<string, unknown>) =>
      client.execute<{ id: string; status: string; links: { rel: string; href: string }[] }>(
        new paypal.orders.OrdersCreateRequest().requestBody({
          intent: 'CAPTURE',
          purchase_units: [{ amount: { currency_code: 'EUR', value: '5.00' } }],
          ...context,
        }),
      );
    const modern = await order({
      payment_source: {
        paypal: {
          experience_context: {
            return_url: 'https://example.org/back',
            cancel_url: 'https://example.org/cancel',
            brand_name: 'Gift',
            locale: 'ru-RU',
            user_action: 'PAY_NOW',
            shipping_preference: 'NO_SHIPPING',
          },
        },
      },
    });
    expect(modern.result.status).toBe('PAYER_ACTION_REQUIRED');
    expect(modern.result.links.map((l) => l.rel)).toContain('payer-action');
    const legacy = await order({ application_context: { return_url: 'https://example.org/b' } });
    expect(legacy.result.status).toBe('CREATED');
    expect(legacy.result.links.map((l) => l.rel)).toContain('approve');
    // The hosted page sends the donor to the return URL of either.
    const back = await fetch(`${fake.url}/checkoutnow?token=${modern.result.id}`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(back.headers.get('location')).toBe(
      `https://example.org/back?token=${modern.result.id}&PayerID=FAKEPAYER01`,
    );
    await expect(
      order({ payment_source: { paypal: { experience_context: { locale: 'russian' } } } }),
    ).rejects.toMatchObject({ statusCode: 422 });
  });
});

describe('FakeStripe: API version, Checkout locale and submit_type, expiry', () => {
  const fake = new FakeStripe({ webhookSecret: 'whsec_conventions' });
  let hook: Awaited<ReturnType<typeof receiver>>;
  let stripe: Stripe;
  const params = (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) => ({
    mode: 'payment' as const,
    success_url: 'https://example.org/thanks',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'byn', unit_amount: 1000, product_data: { name: 'Gift' } },
      },
    ],
    metadata: { donationId: 'd-9' },
    ...extra,
  });

  beforeAll(async () => {
    await fake.start();
    hook = await receiver();
    fake.webhookUrl = hook.url;
    stripe = new Stripe('sk_test_fake', { ...fake.sdkOptions(), apiVersion: Stripe.API_VERSION });
  });
  afterAll(async () => {
    await fake.stop();
    await hook.close();
  });

  it('keeps submit_type and locale, refuses a locale Checkout does not have ("be")', async () => {
    const session = await stripe.checkout.sessions.create(
      params({ submit_type: 'donate', locale: 'ru' }),
    );
    expect(session).toMatchObject({ submit_type: 'donate', locale: 'ru' });
    expect(fake.calls.at(-1)!.stripeVersion).toBe(Stripe.API_VERSION);
    await expect(
      stripe.checkout.sessions.create(params({ locale: 'be' as 'ru' })),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('POST /v1/checkout/sessions/:id/expire expires an open session and sends the signed checkout.session.expired in the endpoint api_version', async () => {
    const session = await stripe.checkout.sessions.create(params());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: 'expired', url: null, payment_status: 'unpaid' });
    for (let i = 0; i < 50 && hook.got.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const delivery = hook.got.at(-1)!;
    const event = stripe.webhooks.constructEvent(
      delivery.body,
      delivery.headers['stripe-signature']!,
      'whsec_conventions',
    );
    expect(event).toMatchObject({
      type: 'checkout.session.expired',
      api_version: Stripe.API_VERSION,
      data: { object: { id: session.id, status: 'expired', metadata: { donationId: 'd-9' } } },
    });
    // Stripe expires only open sessions; an expired one cannot be paid either.
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(fake.pay(session.id)).rejects.toThrow(/expired/);
    expect((await fetch(`${fake.url}/checkout/${session.id}`)).status).toBe(410);
  });

  it("expires the sessions whose expires_at passed on Stripe's clock", async () => {
    const open = await stripe.checkout.sessions.create(params());
    const paid = await stripe.checkout.sessions.create(params());
    await fake.pay(paid.id, { deliver: false });
    const events = await fake.expireDue(open.expires_at + 1);
    const expiredIds = events.map((e) => e.data.object.id);
    expect(events.every((e) => e.type === 'checkout.session.expired')).toBe(true);
    expect(expiredIds).toContain(open.id);
    expect(expiredIds).not.toContain(paid.id);
    expect((await stripe.checkout.sessions.retrieve(paid.id)).status).toBe('complete');
  });
});

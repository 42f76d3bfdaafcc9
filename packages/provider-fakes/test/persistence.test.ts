import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import paypal from '@paypal/checkout-server-sdk';
import Stripe from 'stripe';
import { FakePayPal, FakeStripe } from '../src';

// `npm start` restarts the fakes with the suite: what a provider would keep must still be there.
const dir = mkdtempSync(join(tmpdir(), 'bfi-fakes-state-'));
// Stands in for the payment service's webhook endpoint.
const hooks = createServer((_req, res) => res.end('ok'));
let webhookUrl = '';
const running: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  webhookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  for (const fake of running.splice(0)) await fake.stop();
});
afterAll(async () => {
  await new Promise((r) => hooks.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function track<T extends { stop(): Promise<void> }>(fake: T): T {
  running.push(fake);
  return fake;
}

async function session(stripe: Stripe): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'byn', unit_amount: 2500, product_data: { name: 'Gift' } },
      },
    ],
    success_url: 'http://example.test/thanks',
  });
}

test('a restarted fake Stripe refunds a charge made before and still pays a checkout page opened before', async () => {
  const stateFile = join(dir, 'stripe.json');
  const first = track(new FakeStripe({ stateFile, webhookUrl, autoRefundWebhooks: false }));
  await first.start();
  const port = first.port;
  let stripe = new Stripe('sk_test_fake', first.sdkOptions());
  const paid = await session(stripe);
  await fetch(`${paid.url}/pay`, { method: 'POST', redirect: 'manual' });
  const open = await session(stripe);
  await first.stop();

  const second = track(new FakeStripe({ stateFile, webhookUrl, autoRefundWebhooks: false }));
  await second.start(port);
  stripe = new Stripe('sk_test_fake', second.sdkOptions());
  const intentId = (await stripe.checkout.sessions.retrieve(paid.id)).payment_intent as string;
  const refund = await stripe.refunds.create({ payment_intent: intentId });
  expect(refund).toMatchObject({ status: 'succeeded', amount: 2500 });

  const pay = await fetch(`${open.url}/pay`, { method: 'POST', redirect: 'manual' });
  expect(pay.status).toBe(303);
  expect((await stripe.checkout.sessions.retrieve(open.id)).payment_status).toBe('paid');
});

test('a restarted fake PayPal refunds a capture made before, with the access token it issued', async () => {
  const stateFile = join(dir, 'paypal.json');
  const first = track(new FakePayPal({ stateFile, webhookUrl, autoWebhooks: false }));
  await first.start();
  const port = first.port;
  const url = first.url;
  const client = new paypal.core.PayPalHttpClient(
    new paypal.core.PayPalEnvironment(first.clientId, first.clientSecret, url, url),
  );
  const create = new paypal.orders.OrdersCreateRequest();
  create.requestBody({
    intent: 'CAPTURE',
    purchase_units: [{ custom_id: 'd-1', amount: { currency_code: 'EUR', value: '10.00' } }],
  });
  const order = await client.execute<{ id: string }>(create);
  await fetch(`${url}/checkoutnow?token=${order.result.id}`, {
    method: 'POST',
    redirect: 'manual',
  });
  const captured = await client.execute<{
    purchase_units: { payments: { captures: { id: string }[] } }[];
  }>(new paypal.orders.OrdersCaptureRequest(order.result.id));
  const captureId = captured.result.purchase_units[0]!.payments.captures[0]!.id;
  await first.stop();

  const second = track(new FakePayPal({ stateFile, webhookUrl, autoWebhooks: false }));
  await second.start(port);
  // Same client: the SDK keeps the token the first run issued, as it would against PayPal.
  const refund = await client.execute<{ status: string }>(
    new paypal.payments.CapturesRefundRequest(captureId),
  );
  expect(refund.result.status).toBe('COMPLETED');
});

// Monthly gifts through PayPal's Subscriptions API: @paypal/checkout-server-sdk's client in the
// service against the fake PayPal (products, plans, subscriptions, sales, its clock), webhooks
// signed and verified as PayPal does, real PostgreSQL and Kafka, receipts over real SMTP.
import { MailCatcher } from '@bfi/provider-fakes';
import { eventually } from '@bfi/testing';
import { idemKey, openWorld, type World } from './harness';

let w: World;
const catcher = new MailCatcher();
const donor = 'monthly.ru@donor.test';

beforeAll(async () => {
  const smtpPort = await catcher.start();
  w = await openWorld({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), MAIL_POLL_MS: '50' });
});
afterAll(async () => {
  await w?.close();
  await catcher.stop();
});

let gift: { donationId: string; subscriptionId: string; token: string; paypalSub: string };

const view = () => w.api('GET', `/subscriptions/manage/${gift.token}`);
const installments = async () =>
  (await view()).body.installments as {
    installment: number;
    status: string;
    donationId: string;
    amount: { minor: number };
  }[];
const ofGift = (type: string) =>
  w
    .events(type)
    .filter(
      (e) =>
        (e.data as { recurrence?: { subscriptionId: string } }).recurrence?.subscriptionId ===
        gift.subscriptionId,
    );

describe('monthly gifts through PayPal', () => {
  it('two installments: a plan per amount, the approve link, two donations and two receipts', async () => {
    const res = await w.api('POST', '/donations', {
      body: {
        amount: 1000,
        currency: 'EUR',
        provider: 'paypal',
        frequency: 'monthly',
        donorEmail: donor,
        locale: 'ru',
      },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.status).toBe(201);
    const sub = (await w.db.subscription.findUnique({ where: { id: res.body.subscription.id } }))!;
    gift = {
      donationId: res.body.id,
      subscriptionId: sub.id,
      token: res.body.subscription.manageToken,
      paypalSub: sub.providerSubscriptionId!,
    };
    expect(gift.paypalSub).toMatch(/^I-/);
    expect(res.body.redirectUrl).toMatch(
      new RegExp(`^${w.paypal.url}/webapps/billing/subscriptions\\?ba_token=BA-`),
    );
    const paths = w.paypal.calls.map((c) => `${c.method} ${c.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'POST /v1/catalogs/products',
        'POST /v1/billing/plans',
        'POST /v1/billing/subscriptions',
      ]),
    );
    const plan = w.paypal.calls.find((c) => c.path === '/v1/billing/plans')!.body as {
      billing_cycles: unknown[];
    };
    expect(plan.billing_cycles[0]).toMatchObject({
      frequency: { interval_unit: 'MONTH', interval_count: 1 },
      pricing_scheme: { fixed_price: { value: '10.00', currency_code: 'EUR' } },
    });
    expect((await view()).body.status).toBe('pending');

    await w.paypal.approveSubscription(gift.paypalSub);
    // The fake's clock over HTTP (a fake-only endpoint), as the demo drives it.
    const basic = Buffer.from(`${w.paypal.clientId}:${w.paypal.clientSecret}`).toString('base64');
    const oauth = await fetch(`${w.paypal.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: accessToken } = (await oauth.json()) as { access_token: string };
    const clock = await fetch(
      `${w.paypal.url}/v1/test-helpers/subscriptions/${gift.paypalSub}/advance`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      },
    );
    expect(clock.status).toBe(200);
    await eventually(async () =>
      expect((await installments()).filter((i) => i.status === 'succeeded')).toHaveLength(2),
    );
    await eventually(() =>
      expect(w.paypal.deliveries.map((d) => [d.type, d.status])).toEqual([
        ['BILLING.SUBSCRIPTION.ACTIVATED', 200],
        ['PAYMENT.SALE.COMPLETED', 200],
        ['PAYMENT.SALE.COMPLETED', 200],
      ]),
    );
    const v = (await view()).body;
    expect(v).toMatchObject({
      status: 'active',
      provider: 'paypal',
      amount: { minor: 1000, currency: 'EUR' },
    });
    expect(
      v.installments.map((i: { installment: number; status: string }) => [i.installment, i.status]),
    ).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
    ]);
    expect(v.installments[0].donationId).toBe(gift.donationId);
    const second = (await w.api('GET', `/donations/${v.installments[1].donationId}`)).body;
    expect(second.fee).toEqual({ minor: Math.round(1000 * 0.0349) + 49, currency: 'EUR' });
    const mails = await eventually(() => {
      const found = catcher.to(donor);
      if (found.length < 2) throw new Error('not mailed yet');
      return found;
    });
    expect(mails.map((m) => m.text.match(/Это (\d)-й ежемесячный взнос/)?.[1]).sort()).toEqual([
      '1',
      '2',
    ]);
    for (const m of mails) expect(m.text).toContain('/monthly/');
    await eventually(() => expect(ofGift('payment.succeeded.v1')).toHaveLength(2));
    await eventually(() =>
      expect(w.events('payment.subscription-started.v1', gift.subscriptionId)).toHaveLength(1),
    );
  });

  it('redelivered sale webhooks do nothing twice; an unsigned one is refused', async () => {
    const sales = w.paypal.events.filter((e) => e.event_type === 'PAYMENT.SALE.COMPLETED');
    for (const e of sales) expect((await w.paypal.deliver(e)).status).toBe(200);
    const forged = w.paypal.event(
      'PAYMENT.SALE.COMPLETED',
      'sale',
      { ...sales[0]!.resource, id: 'FORGEDSALE1' },
      'forged',
    );
    const res = await fetch(`${w.base}/webhooks/paypal`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...w.paypal.transmissionHeaders('{"other":"bytes"}'),
      },
      body: JSON.stringify(forged),
    });
    expect(res.status).toBe(400);
    expect(await installments()).toHaveLength(2);
    expect(await w.service.deps.mailer.runOnce()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(catcher.to(donor)).toHaveLength(2);
    expect(ofGift('payment.succeeded.v1')).toHaveLength(2);
  });

  it('a failed installment, then the next cycle is paid again', async () => {
    w.paypal.declineNextCharge(gift.paypalSub);
    await w.paypal.advance(gift.paypalSub);
    expect((await view()).body.status).toBe('past_due');
    const third = (await installments())[2]!;
    expect(third).toMatchObject({ installment: 3, status: 'failed' });
    await eventually(() => expect(w.events('payment.failed.v1', third.donationId)).toHaveLength(1));
    await w.paypal.advance(gift.paypalSub);
    expect((await view()).body.status).toBe('active');
    expect((await installments())[3]).toMatchObject({ installment: 4, status: 'succeeded' });
  });

  it('an amount change revises the subscription to the plan of the new amount; the next sale charges it', async () => {
    const res = await w.api('PATCH', `/subscriptions/manage/${gift.token}`, {
      body: { amount: 1500 },
    });
    expect(res.status).toBe(200);
    expect(res.body.amount).toEqual({ minor: 1500, currency: 'EUR' });
    const revise = w.paypal.calls.find(
      (c) => c.path === `/v1/billing/subscriptions/${gift.paypalSub}/revise`,
    );
    expect(revise).toBeDefined();
    await w.paypal.advance(gift.paypalSub);
    expect((await installments()).at(-1)).toMatchObject({
      installment: 5,
      status: 'succeeded',
      amount: { minor: 1500 },
    });
  });

  it('an installment is refunded on its own through its sale', async () => {
    const second = (await installments())[1]!;
    const res = await w.api('POST', `/donations/${second.donationId}/refunds`, {
      body: { amount: 400 },
      key: 'finance',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'partially_refunded',
      refunded: { minor: 400, currency: 'EUR' },
    });
    expect(w.paypal.calls.some((c) => /^\/v1\/payments\/sale\/.+\/refund$/.test(c.path))).toBe(
      true,
    );
    await eventually(() =>
      expect(w.events('payment.refunded.v1', second.donationId)).toHaveLength(1),
    );
  });

  it('cancelling from the signed link ends the PayPal subscription: the clock charges nothing more', async () => {
    const res = await w.api('POST', `/subscriptions/manage/${gift.token}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(w.paypal.subscriptions.get(gift.paypalSub)?.status).toBe('CANCELLED');
    expect(await w.paypal.advance(gift.paypalSub)).toEqual([]);
    expect(await installments()).toHaveLength(5);
    await eventually(() =>
      expect(
        w.paypal.deliveries.some(
          (d) => d.type === 'BILLING.SUBSCRIPTION.CANCELLED' && d.status === 200,
        ),
      ).toBe(true),
    );
    await eventually(() =>
      expect(
        w
          .events('payment.subscription-cancelled.v1', gift.subscriptionId)
          .map((e) => (e.data as { reason: string }).reason),
      ).toEqual(['donor']),
    );
  });
});

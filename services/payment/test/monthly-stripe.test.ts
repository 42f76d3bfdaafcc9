// Monthly gifts through Stripe: the real stripe SDK in the service against the fake Stripe
// (Checkout in subscription mode, invoices, its clock), real PostgreSQL and Kafka, receipt
// e-mails over real SMTP to the mail catcher.
import { MailCatcher } from '@bfi/provider-fakes';
import { eventually } from '@bfi/testing';
import { SignJWT } from 'jose';
import pdfParse from 'pdf-parse';
import Stripe from 'stripe';
import { idemKey, openWorld, type World } from './harness';

let w: World;
const catcher = new MailCatcher();
const WEB = 'https://give.test';

beforeAll(async () => {
  const smtpPort = await catcher.start();
  w = await openWorld({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MAIL_POLL_MS: '50',
    WEB_BASE_URL: WEB,
  });
});
afterAll(async () => {
  await w?.close();
  await catcher.stop();
});

interface Gift {
  donationId: string;
  subscriptionId: string;
  token: string;
  stripeSub: string;
  donorSecret: string;
}

async function monthly(email: string, amount = 1500, currency = 'BYN'): Promise<Gift> {
  const res = await w.api('POST', '/donations', {
    body: {
      amount,
      currency,
      provider: 'stripe',
      frequency: 'monthly',
      donorEmail: email,
      locale: 'en',
    },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  expect(res.body.subscription).toEqual({
    id: expect.any(String),
    manageToken: expect.any(String),
  });
  await w.stripe.pay(res.body.providerRefs.checkoutSessionId);
  const sub = await eventually(async () => {
    const row = await w.db.subscription.findUnique({ where: { id: res.body.subscription.id } });
    if (row?.status !== 'active' || !row.providerSubscriptionId) throw new Error('not active yet');
    return row;
  });
  return {
    donationId: res.body.id,
    subscriptionId: sub.id,
    token: res.body.subscription.manageToken,
    stripeSub: sub.providerSubscriptionId!,
    donorSecret: res.body.donorSecret,
  };
}

const view = (g: Gift) => w.api('GET', `/subscriptions/manage/${g.token}`);
const mailsTo = (to: string, n: number) =>
  eventually(() => {
    const mails = catcher.to(to);
    if (mails.length < n) throw new Error(`${mails.length} of ${n} mails to ${to}`);
    return mails;
  });

describe('monthly gifts through Stripe', () => {
  let gift: Gift;
  const donor = 'monthly.en@donor.test';

  it('three installments: three donations, three receipts by e-mail with the manage link, events with the installment', async () => {
    gift = await monthly(donor);
    const checkout = w.stripe.calls.find(
      (c) => c.path === '/v1/checkout/sessions' && c.body.mode === 'subscription',
    );
    expect(checkout?.body).toMatchObject({
      line_items: [
        { price_data: { unit_amount: '1500', currency: 'byn', recurring: { interval: 'month' } } },
      ],
    });
    await w.stripe.advance(gift.stripeSub);
    // The fake's clock over HTTP, as the demo drives it (Stripe's test_helpers style).
    const sdk = new Stripe('sk_test_payment', w.stripe.sdkOptions());
    await sdk.rawRequest('POST', `/v1/test_helpers/subscriptions/${gift.stripeSub}/advance`, {});
    await eventually(async () => {
      const paid = (await view(gift)).body.installments.filter(
        (i: { status: string }) => i.status === 'succeeded',
      );
      expect(paid).toHaveLength(3);
    });
    const v = (await view(gift)).body;
    expect(v).toMatchObject({
      status: 'active',
      provider: 'stripe',
      amount: { minor: 1500, currency: 'BYN' },
    });
    expect(v.donorEmail).toBe('m***@donor.test');
    expect(
      v.installments.map((i: { installment: number; status: string }) => [i.installment, i.status]),
    ).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    expect(v.installments[0].donationId).toBe(gift.donationId);
    expect(
      (await w.api('GET', `/donations/${v.installments[2].donationId}`)).body.recurrence,
    ).toEqual({
      subscriptionId: gift.subscriptionId,
      installment: 3,
      interval: 'month',
    });
    expect(new Set(v.installments.map((i: { donationId: string }) => i.donationId)).size).toBe(3);
    const mails = await mailsTo(donor, 3);
    expect(mails).toHaveLength(3);
    for (const n of [1, 2, 3]) {
      const mail = mails.find((m) => m.text.includes(`installment ${n} of your monthly gift`));
      expect(mail?.text).toContain(`${WEB}/monthly/`);
      expect(mail?.attachments[0]?.contentType).toBe('application/pdf');
    }
    const succeeded = await eventually(() => {
      const found = w
        .events('payment.succeeded.v1')
        .filter(
          (e) =>
            (e.data as { recurrence?: { subscriptionId: string } }).recurrence?.subscriptionId ===
            gift.subscriptionId,
        );
      expect(found).toHaveLength(3);
      return found;
    });
    expect(
      succeeded
        .map((e) => (e.data as { recurrence: { installment: number } }).recurrence.installment)
        .sort(),
    ).toEqual([1, 2, 3]);
    for (const e of succeeded)
      expect((e.data as { fee: unknown }).fee).toEqual({
        minor: Math.round(1500 * 0.029) + 30,
        currency: 'BYN',
      });
    await eventually(() =>
      expect(w.events('payment.subscription-started.v1', gift.subscriptionId)).toHaveLength(1),
    );
  });

  it('redelivered invoice webhooks and a second mail round do nothing twice', async () => {
    const invoices = w.stripe.events.filter(
      (e) =>
        e.type === 'invoice.paid' &&
        (e.data.object.parent as { subscription_details: { subscription: string } })
          .subscription_details.subscription === gift.stripeSub,
    );
    expect(invoices).toHaveLength(3);
    for (const e of invoices) expect((await w.stripe.deliver(e)).status).toBe(200);
    expect(await w.db.donation.count({ where: { subscriptionId: gift.subscriptionId } })).toBe(3);
    expect(await w.service.deps.mailer.runOnce()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(catcher.to(donor)).toHaveLength(3);
    const events = w
      .events('payment.succeeded.v1')
      .filter(
        (e) =>
          (e.data as { recurrence?: { subscriptionId: string } }).recurrence?.subscriptionId ===
          gift.subscriptionId,
      );
    expect(events).toHaveLength(3);
  });

  it('a failed installment: payment.failed, the gift past due; Stripe retrying the invoice books the same donation', async () => {
    w.stripe.declineNextCharge(gift.stripeSub);
    await w.stripe.advance(gift.stripeSub);
    const v = (await view(gift)).body;
    expect(v.status).toBe('past_due');
    const fourth = v.installments.find((i: { installment: number }) => i.installment === 4);
    expect(fourth.status).toBe('failed');
    const failed = await eventually(() => {
      const found = w.events('payment.failed.v1', fourth.donationId);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect((failed.data as { recurrence: unknown }).recurrence).toEqual({
      subscriptionId: gift.subscriptionId,
      installment: 4,
      interval: 'month',
    });
    const invoiceId = (await w.db.providerPayment.findUnique({
      where: { donationId: fourth.donationId },
    }))!.invoiceId!;
    const sdk = new Stripe('sk_test_payment', w.stripe.sdkOptions());
    expect((await sdk.invoices.pay(invoiceId)).status).toBe('paid');
    await eventually(async () => {
      const after = (await view(gift)).body;
      expect(after.status).toBe('active');
      expect(after.installments).toHaveLength(4);
      expect(after.installments[3]).toMatchObject({ installment: 4, status: 'succeeded' });
    });
    await mailsTo(donor, 4);
  });

  it('an installment is refunded on its own, its events carrying the installment', async () => {
    const second = (await view(gift)).body.installments[1];
    const res = await w.api('POST', `/donations/${second.donationId}/refunds`, {
      body: {},
      key: 'finance',
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('refunded');
    const refunded = await eventually(() => {
      const found = w.events('payment.refunded.v1', second.donationId);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect((refunded.data as { recurrence: { installment: number } }).recurrence.installment).toBe(
      2,
    );
    expect((await view(gift)).body.installments[2].status).toBe('succeeded');
  });

  it('an amount change applies to the next installment, without proration', async () => {
    const res = await w.api('PATCH', `/subscriptions/manage/${gift.token}`, {
      body: { amount: 2500 },
    });
    expect(res.status).toBe(200);
    expect(res.body.amount).toEqual({ minor: 2500, currency: 'BYN' });
    const update = w.stripe.calls.find(
      (c) => c.method === 'POST' && c.path === `/v1/subscriptions/${gift.stripeSub}`,
    );
    expect(update?.body).toMatchObject({
      proration_behavior: 'none',
      items: [{ price_data: { unit_amount: '2500' } }],
    });
    await w.stripe.advance(gift.stripeSub);
    const installments = (await view(gift)).body.installments;
    expect(installments.at(-1)).toMatchObject({
      installment: 5,
      amount: { minor: 2500, currency: 'BYN' },
      status: 'succeeded',
    });
    const changed = await eventually(() => {
      const found = w.events('payment.subscription-amount-changed.v1', gift.subscriptionId);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(changed.data).toMatchObject({
      amount: { minor: 2500 },
      previousAmount: { minor: 1500 },
    });
    expect(
      (await w.api('PATCH', `/subscriptions/manage/${gift.token}`, { body: { amount: 0 } })).status,
    ).toBe(400);
  });

  it('the annual summary e-mails a PDF of the year’s installments', async () => {
    const before = catcher.to(donor).length;
    const year = new Date().getUTCFullYear();
    const res = await w.api('POST', `/subscriptions/manage/${gift.token}/annual-summary`, {
      body: { year },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ year, sentTo: 'm***@donor.test' });
    const mails = await mailsTo(donor, before + 1);
    const summary = mails.find((m) => m.subject === `Your monthly gifts in ${year}`)!;
    const text = (await pdfParse(summary.attachments[0]!.content)).text;
    const receipts = await w.db.donation.findMany({
      where: { subscriptionId: gift.subscriptionId, status: 'succeeded' },
    });
    expect(receipts).toHaveLength(4);
    for (const r of receipts) expect(text).toContain(r.receiptNumber!);
  });

  it('cancelling from the signed link stops the next charge', async () => {
    const res = await w.api('POST', `/subscriptions/manage/${gift.token}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'cancelled',
      nextChargeAt: null,
      cancelledAt: expect.any(String),
    });
    expect(w.stripe.subscriptions.get(gift.stripeSub)?.status).toBe('canceled');
    const charges = w.stripe.charges.size;
    expect(await w.stripe.advance(gift.stripeSub)).toEqual([]);
    expect(w.stripe.charges.size).toBe(charges);
    expect(await w.db.donation.count({ where: { subscriptionId: gift.subscriptionId } })).toBe(5);
    await eventually(() => {
      const cancelled = w.events('payment.subscription-cancelled.v1', gift.subscriptionId);
      expect(cancelled.map((e) => (e.data as { reason: string }).reason)).toEqual(['donor']);
    });
    // Stripe's customer.subscription.deleted arrives too: still one cancellation.
    await eventually(() =>
      expect(
        w.stripe.deliveries.some(
          (d) => d.type === 'customer.subscription.deleted' && d.status === 200,
        ),
      ).toBe(true),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(w.events('payment.subscription-cancelled.v1', gift.subscriptionId)).toHaveLength(1);
    expect(
      (await w.api('PATCH', `/subscriptions/manage/${gift.token}`, { body: { amount: 900 } }))
        .status,
    ).toBe(409);
  });

  it('a forged, tampered or expired manage link is refused', async () => {
    const [head, payload, sig] = gift.token.split('.');
    const tampered = `${head}.${payload}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(gift.subscriptionId)
      .setAudience('bfi-subscription-manage')
      .setIssuer('bfi-payment')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-key-not-the-key-not-the-key'));
    for (const token of [tampered, forged, 'garbage']) {
      const res = await w.api('GET', `/subscriptions/manage/${token}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.detail).toMatch(/not valid/);
    }
    expect((await w.api('POST', `/subscriptions/manage/${forged}/cancel`)).status).toBe(401);
    w.clock.ms = Date.now() + 401 * 24 * 3600 * 1000;
    try {
      const expired = await w.api('GET', `/subscriptions/manage/${gift.token}`);
      expect(expired.status).toBe(403);
      expect(expired.body.detail).toMatch(/expired/);
    } finally {
      w.clock.ms = null;
    }
  });

  it('the thank-you page gets the manage link with the donor secret only', async () => {
    const g = await monthly('thanks@donor.test', 700, 'EUR');
    const denied = await w.api('GET', `/donations/${g.donationId}/manage-link`);
    expect(denied.status).toBe(403);
    const link = await w.api('GET', `/donations/${g.donationId}/manage-link`, {
      headers: { 'x-donor-secret': g.donorSecret },
    });
    expect(link.status).toBe(200);
    expect(link.body.manageUrl).toBe(`${WEB}/monthly/${link.body.manageToken}`);
    expect(
      (await w.api('GET', `/subscriptions/manage/${link.body.manageToken}`)).body,
    ).toMatchObject({
      id: g.subscriptionId,
      amount: { minor: 700, currency: 'EUR' },
    });
  });

  it('a gift that cannot be booked, has no e-mail or asks to cover the fee is refused before Stripe is asked', async () => {
    const sessions = w.stripe.sessions.size;
    const subs = await w.db.subscription.count();
    const donations = await w.db.donation.count();
    await w.fund('closed-fund', 'closed');
    for (const body of [
      { fund: 'closed-fund', donorEmail: 'a@donor.test' },
      { fund: 'no-such-fund', donorEmail: 'a@donor.test' },
      {},
      { donorEmail: 'a@donor.test', coverFee: true },
    ]) {
      const res = await w.api('POST', '/donations', {
        body: { amount: 1000, currency: 'BYN', provider: 'stripe', frequency: 'monthly', ...body },
        headers: { 'idempotency-key': idemKey() },
      });
      expect(res.status).toBe(422);
    }
    expect(await w.db.donation.count()).toBe(donations);
    expect(w.stripe.sessions.size).toBe(sessions);
    expect(await w.db.subscription.count()).toBe(subs);
  });
});

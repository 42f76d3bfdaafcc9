// "Add the card fee so all of my gift reaches the fund", end to end in payment: the estimate
// (GET /fee-estimates), the charge at the provider (real Stripe and PayPal SDKs against the
// fakes), the recorded coveredFee (donation, payment.succeeded.v1 on Kafka) and the receipt
// e-mail over real SMTP. Real PostgreSQL.
import { MailCatcher } from '@bfi/provider-fakes';
import { eventually } from '@bfi/testing';
import pdfParse from 'pdf-parse';
import { idemKey, openWorld, type World } from './harness';

let w: World;
const catcher = new MailCatcher();

beforeAll(async () => {
  const smtpPort = await catcher.start();
  w = await openWorld({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MAIL_RETRY_BASE_MS: '50',
    MAIL_RETRY_MAX_MS: '200',
    MAIL_POLL_MS: '50',
  });
});
afterAll(async () => {
  await w?.close();
  await catcher.stop();
});

describe('GET /fee-estimates', () => {
  it('adds Stripe 2.9 % + 0.30 of the total, so 50.00 BYN becomes 51.80', async () => {
    const res = await w.api('GET', '/fee-estimates?provider=stripe&currency=BYN&amount=5000');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      provider: 'stripe',
      currency: 'BYN',
      amount: 5000,
      fee: { minor: 180, currency: 'BYN' },
      total: { minor: 5180, currency: 'BYN' },
      basis: 'estimate',
    });
  });

  it('PayPal 3.49 % + 0.49 for 50.00 USD adds 2.32', async () => {
    const res = await w.api('GET', '/fee-estimates?provider=paypal&currency=USD&amount=5000');
    expect(res.body).toMatchObject({ fee: { minor: 232 }, total: { minor: 5232 } });
  });

  it('refuses what it cannot estimate with a readable problem', async () => {
    const bad = await w.api('GET', '/fee-estimates?provider=stripe&currency=BYN&amount=12.5');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toMatch(/whole number of minor units/);
    const paypalByn = await w.api('GET', '/fee-estimates?provider=paypal&currency=BYN&amount=5000');
    expect(paypalByn.status).toBe(422);
    expect(paypalByn.body.detail).toMatch(/PayPal does not support BYN/);
    const missing = await w.api('GET', '/fee-estimates?currency=BYN&amount=5000');
    expect(missing.status).toBe(400);
  });
});

describe('POST /donations with coverFee', () => {
  it('Stripe: charges intended + fee, books coveredFee, the fake reports the same fee, the receipt shows it', async () => {
    const to = 'covers.fee@donor.test';
    const res = await w.api('POST', '/donations', {
      body: {
        amount: 5000,
        currency: 'BYN',
        provider: 'stripe',
        coverFee: true,
        donorEmail: to,
        locale: 'en',
      },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      amount: { minor: 5180, currency: 'BYN' },
      coveredFee: { minor: 180, currency: 'BYN' },
    });
    const id = res.body.id as string;
    const sessionId = res.body.providerRefs.checkoutSessionId as string;
    // What the provider was asked to charge (the Checkout Session the real SDK created).
    expect(w.stripe.sessions.get(sessionId)).toMatchObject({ amount_total: 5180, currency: 'byn' });
    await w.stripe.pay(sessionId);
    const paid = await eventually(async () => {
      const d = await w.api('GET', `/donations/${id}`);
      expect(d.body.status).toBe('succeeded');
      return d.body;
    });
    expect(paid).toMatchObject({
      amount: { minor: 5180, currency: 'BYN' },
      coveredFee: { minor: 180, currency: 'BYN' },
      fee: { minor: 180, currency: 'BYN' },
    });
    const [succeeded] = await eventually(() => {
      const found = w.events('payment.succeeded.v1', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(succeeded!.data).toMatchObject({
      gross: { minor: 5180, currency: 'BYN' },
      coveredFee: { minor: 180, currency: 'BYN' },
      fee: { minor: 180, currency: 'BYN' },
    });
    const mail = await eventually(() => {
      const mails = catcher.to(to);
      if (mails.length === 0) throw new Error('no mail yet');
      return mails[0]!;
    });
    expect(mail.text).toContain('You added 1.80 BYN to cover the card fee');
    expect(mail.text).toContain('all of your gift of 50.00 BYN reaches the fund');
    const pdf = (await pdfParse(mail.attachments[0]!.content)).text.replace(/\s+/g, ' ');
    expect(pdf).toContain('Of which added to cover the card fee');
    expect(pdf).toContain('51.80 BYN');
    expect(pdf).toContain('1.80 BYN');
  });

  it('PayPal: the capture is intended + fee and the fee PayPal keeps equals the covered part', async () => {
    const res = await w.api('POST', '/donations', {
      body: { amount: 5000, currency: 'USD', provider: 'paypal', coverFee: true },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const orderId = res.body.providerRefs.orderId as string;
    expect(JSON.stringify(w.paypal.orders.get(orderId))).toContain('"value":"52.32"');
    await w.paypal.approve(orderId);
    const paid = await eventually(async () => {
      const d = await w.api('GET', `/donations/${id}`);
      expect(d.body.status).toBe('succeeded');
      return d.body;
    });
    expect(paid).toMatchObject({
      amount: { minor: 5232, currency: 'USD' },
      coveredFee: { minor: 232, currency: 'USD' },
      fee: { minor: 232, currency: 'USD' },
    });
    const [succeeded] = await eventually(() => {
      const found = w.events('payment.succeeded.v1', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(succeeded!.data).toMatchObject({ gross: { minor: 5232 }, coveredFee: { minor: 232 } });
  });

  it('a gift without coverFee charges the amount and carries no coveredFee', async () => {
    const res = await w.api('POST', '/donations', {
      body: { amount: 5000, currency: 'BYN', provider: 'stripe' },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(res.body).toMatchObject({ amount: { minor: 5000 }, coveredFee: null });
    await w.stripe.pay(res.body.providerRefs.checkoutSessionId as string);
    const [succeeded] = await eventually(() => {
      const found = w.events('payment.succeeded.v1', res.body.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(succeeded!.data).not.toHaveProperty('coveredFee');
  });

  it('the same Idempotency-Key with coverFee switched is another request: 409', async () => {
    const key = idemKey();
    const body = { amount: 3000, currency: 'BYN', provider: 'stripe' };
    expect(
      (await w.api('POST', '/donations', { body, headers: { 'idempotency-key': key } })).status,
    ).toBe(201);
    const again = await w.api('POST', '/donations', {
      body: { ...body, coverFee: true },
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(409);
  });
});

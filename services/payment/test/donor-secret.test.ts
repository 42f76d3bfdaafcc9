// The donor secret: given once to the donor's device (POST /donations answer and the thank-you
// URL), stored only as its SHA-256, sent on as that hash in payment.succeeded.v1.
import { createHash } from 'node:crypto';
import { eventually } from '@bfi/testing';
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld({
    THANK_YOU_URL: 'http://web.test/thank-you?donation={DONATION_ID}#s={DONOR_SECRET}',
  });
  expect(
    (await w.api('POST', '/offices', { body: { id: 'office-a', name: 'Minsk' }, key: 'admin' }))
      .status,
  ).toBe(201);
});
afterAll(async () => {
  await w?.close();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('donor secret', () => {
  it('is returned by POST /donations only, stored only as its hash, and is in the success URL', async () => {
    const key = idemKey();
    const body = { amount: 2500, currency: 'BYN', provider: 'stripe' };
    const created = await w.api('POST', '/donations', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(created.status).toBe(201);
    const { id, donorSecret } = created.body as { id: string; donorSecret: string };
    expect(donorSecret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url

    const row = await w.db.donation.findUniqueOrThrow({ where: { id } });
    expect(row.donorSecretHash).toBe(sha256(donorSecret));
    expect(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      donorSecret,
    );
    const view = await w.api('GET', `/donations/${id}`);
    expect(JSON.stringify(view.body)).not.toContain(donorSecret);

    const session = w.stripe.sessions.get(created.body.providerRefs.checkoutSessionId)!;
    expect(session.success_url).toBe(`http://web.test/thank-you?donation=${id}#s=${donorSecret}`);
    expect(session.cancel_url).toBe(`http://web.test/thank-you?donation=${id}#s=`);

    // A retry after a lost answer gets the same secret (the provider already has that URL).
    const replay = await w.api('POST', '/donations', { body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(200);
    expect(replay.body.donorSecret).toBe(donorSecret);
    // Two donations never share one.
    const other = await w.api('POST', '/donations', {
      body,
      headers: { 'idempotency-key': idemKey() },
    });
    expect(other.body.donorSecret).not.toBe(donorSecret);
  });

  it('payment.succeeded.v1 carries the hash of the secret, never the secret', async () => {
    const created = await w.api('POST', '/donations', {
      body: { amount: 1800, currency: 'BYN', provider: 'stripe' },
      headers: { 'idempotency-key': idemKey() },
    });
    const { id, donorSecret } = created.body as { id: string; donorSecret: string };
    await w.stripe.pay(created.body.providerRefs.checkoutSessionId);
    const event = await eventually(() => {
      const [e] = w.events('payment.succeeded.v1', id);
      expect(e).toBeDefined();
      return e!;
    });
    expect(event.data).toMatchObject({ donationId: id, donorSecretHash: sha256(donorSecret) });
    expect(JSON.stringify(event)).not.toContain(donorSecret);
  });

  it('office staff lists show no checkout link (it leads to the secret)', async () => {
    const point = await w.api('POST', '/offices/office-a/points', {
      body: { label: 'Door poster' },
      key: 'admin',
    });
    const token = new URL(point.body.posterUrl).searchParams.get('point')!;
    const created = await w.api('POST', '/donations', {
      body: { amount: 2200, currency: 'BYN', provider: 'stripe', pointToken: token },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(created.body.redirectUrl).toBeTruthy();
    const list = await w.api('GET', '/offices/office-a/donations', { key: 'admin' });
    const mine = (list.body as { id: string; redirectUrl: string | null }[]).find(
      (d) => d.id === created.body.id,
    );
    expect(mine).toMatchObject({ redirectUrl: null });
  });
});

import { signQrToken, verifyQrToken } from '../src/domain/qr';
import { idemKey, openWorld, QR_SECRET, type World } from './harness';

let w: World;
let pointA: { id: string; posterUrl: string };
let pointB: { id: string };

beforeAll(async () => {
  w = await openWorld({ MAX_DONATION_MINOR: '500000', QR_INTENT_TTL_SECONDS: '120' });
  for (const office of [
    { id: 'office-a', name: 'MTS Minsk Nemiga' },
    { id: 'office-b', name: 'MTS Brest Central' },
  ]) {
    expect((await w.api('POST', '/offices', { body: office, key: 'admin' })).status).toBe(201);
  }
  pointA = (
    await w.api('POST', '/offices/office-a/points', {
      body: { label: 'Counter 1', kind: 'counter' },
      key: 'admin',
    })
  ).body;
  pointB = (
    await w.api('POST', '/offices/office-b/points', {
      body: { label: 'Entrance poster' },
      key: 'admin',
    })
  ).body;
});
afterAll(async () => {
  await w?.close();
});

const post = (body: unknown, key = idemKey()) =>
  w.api('POST', '/donations', { body, headers: { 'idempotency-key': key } });

describe('input validation', () => {
  it.each([
    [{ amount: 0, currency: 'BYN', provider: 'stripe' }, /amount: must be greater than zero/],
    [{ amount: -500, currency: 'BYN', provider: 'stripe' }, /amount: must be greater than zero/],
    [
      { amount: 12.5, currency: 'BYN', provider: 'stripe' },
      /amount: must be a whole number of minor units/,
    ],
    [
      { amount: 500001, currency: 'BYN', provider: 'stripe' },
      /amount: must not exceed 500000 minor units/,
    ],
    [{ amount: 1000, currency: 'XYZ', provider: 'stripe' }, /currency: unknown currency "XYZ"/],
    [
      { amount: '1000', currency: 'BYN', provider: 'stripe' },
      /amount: must be a number of minor units/,
    ],
    [{ amount: 1000, currency: 'BYN', provider: 'bitcoin' }, /provider/],
    [{ amount: 1000, currency: 'BYN', provider: 'stripe', extra: 1 }, /extra/],
  ])('%j → 400 and nothing created', async (body, message) => {
    const before = await w.db.donation.count();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toMatch(message);
    expect(await w.db.donation.count()).toBe(before);
  });

  it('requires an Idempotency-Key', async () => {
    const res = await w.api('POST', '/donations', {
      body: { amount: 1000, currency: 'BYN', provider: 'stripe' },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/Idempotency-Key/);
  });
});

describe('idempotency', () => {
  it('same key + same body → the same donation; same key + other body → 409', async () => {
    const key = idemKey();
    const body = { amount: 1000, currency: 'USD', provider: 'stripe' };
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const again = await post(body, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.redirectUrl).toBe(first.body.redirectUrl);
    expect(w.stripe.sessions.size).toBe(1);
    const other = await post({ ...body, amount: 2000 }, key);
    expect(other.status).toBe(409);
    expect(other.body.detail).toMatch(/already used for a different donation/);
  });

  it('concurrent requests with one key create one donation', async () => {
    const key = idemKey();
    const body = { amount: 1100, currency: 'EUR', provider: 'stripe' };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(body, key)));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await w.db.idempotencyKey.count({ where: { key } })).toBe(1);
  });
});

describe('offices, points and roles', () => {
  it('staff of office A cannot act for office B', async () => {
    expect((await w.api('GET', '/offices/office-b/points', { key: 'staffA' })).status).toBe(403);
    const intent = await w.api('POST', `/donation-points/${pointB.id}/intents`, {
      body: { amount: 1000, currency: 'BYN' },
      key: 'staffA',
    });
    expect(intent.status).toBe(403);
    expect(intent.body.detail).toMatch(/cannot act for office office-b/);
    expect((await w.api('GET', '/offices/office-b/posters.pdf', { key: 'staffA' })).status).toBe(
      403,
    );
    expect((await w.api('GET', '/offices/office-a/points', { key: 'staffA' })).status).toBe(200);
    expect(
      (await w.api('POST', '/offices', { body: { id: 'office-c', name: 'C' }, key: 'staffA' }))
        .status,
    ).toBe(403);
  });

  it('serves the poster QR as PNG and SVG, and a PDF sheet', async () => {
    const png = await fetch(`${w.base}/donation-points/${pointA.id}/qr.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    const svg = await (await fetch(`${w.base}/donation-points/${pointA.id}/qr.svg`)).text();
    expect(svg).toContain('<svg');
    const pdf = await fetch(`${w.base}/offices/office-a/posters.pdf`, {
      headers: { authorization: 'Bearer key-staff-a-0001' },
    });
    const bytes = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(bytes.startsWith('%PDF')).toBe(true);
    expect(bytes.match(/\/Type \/Page\b/g)).toHaveLength(1);
    const token = new URL(pointA.posterUrl).searchParams.get('point')!;
    expect(verifyQrToken(QR_SECRET, token, 0)).toMatchObject({
      ok: true,
      claims: { k: 'poster', pid: pointA.id, oid: 'office-a' },
    });
  });

  it('GET /openapi.json documents the donation body with the configured maximum', async () => {
    const doc = (await w.api('GET', '/openapi.json')).body;
    const schema = doc.paths['/donations'].post.requestBody.content['application/json'].schema;
    expect(schema.properties.amount).toMatchObject({ type: 'integer', maximum: 500000 });
    expect(schema.required).toEqual(expect.arrayContaining(['amount', 'currency', 'provider']));
  });
});

describe('donation-point QR tokens', () => {
  it('a poster token attributes the gift to the office', async () => {
    const token = new URL(pointA.posterUrl).searchParams.get('point')!;
    const res = await post({
      amount: 2000,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: token,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel: 'office',
      officeId: 'office-a',
      donationPointId: pointA.id,
    });
  });

  it('forged, expired, reused, wrong-amount and other-office tokens are refused clearly', async () => {
    const intent = (
      await w.api('POST', `/donation-points/${pointA.id}/intents`, {
        body: { amount: 3000, currency: 'BYN' },
        key: 'staffA',
      })
    ).body;
    expect(intent.qrSvg).toContain('<svg');
    const [payload, sig] = intent.token.split('.');
    const forged = `${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const forgedRes = await post({
      amount: 3000,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: forged,
    });
    expect([forgedRes.status, forgedRes.body.code]).toEqual([400, 'qr-forged']);

    const wrongAmount = await post({
      amount: 2999,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: intent.token,
    });
    expect([wrongAmount.status, wrongAmount.body.code]).toEqual([422, 'qr-amount-mismatch']);

    const paid = await post({
      amount: 3000,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: intent.token,
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ channel: 'office', officeId: 'office-a' });
    const reused = await post({
      amount: 3000,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: intent.token,
    });
    expect([reused.status, reused.body.code]).toEqual([409, 'qr-reused']);
    expect(reused.body.detail).toMatch(/already used/);

    // Signed with the real secret, but naming office B for a point of office A.
    const otherOffice = signQrToken(QR_SECRET, { k: 'poster', pid: pointA.id, oid: 'office-b' });
    const other = await post({
      amount: 1000,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: otherOffice,
    });
    expect([other.status, other.body.code]).toEqual([422, 'qr-other-office']);

    const later = (
      await w.api('POST', `/donation-points/${pointA.id}/intents`, {
        body: { amount: 1000, currency: 'BYN' },
        key: 'staffA',
      })
    ).body;
    w.clock.ms = Date.now() + 121_000;
    try {
      const expired = await post({
        amount: 1000,
        currency: 'BYN',
        provider: 'stripe',
        pointToken: later.token,
      });
      expect([expired.status, expired.body.code]).toEqual([410, 'qr-expired']);
    } finally {
      w.clock.ms = null;
    }
    expect(await w.db.qrToken.count({ where: { consumedAt: { not: null } } })).toBe(1);
  });

  it('a single-use token used by two concurrent requests makes exactly one donation', async () => {
    const intent = (
      await w.api('POST', `/donation-points/${pointA.id}/intents`, {
        body: { amount: 1500, currency: 'BYN' },
        key: 'admin',
      })
    ).body;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        post({ amount: 1500, currency: 'BYN', provider: 'stripe', pointToken: intent.token }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
  });

  it('a disabled point stops taking gifts', async () => {
    const point = (
      await w.api('POST', '/offices/office-b/points', {
        body: { label: 'Old poster' },
        key: 'admin',
      })
    ).body;
    expect(
      (await w.api('POST', `/donation-points/${point.id}/disable`, { key: 'admin' })).status,
    ).toBe(200);
    const token = new URL(point.posterUrl).searchParams.get('point')!;
    const res = await post({
      amount: 1000,
      currency: 'BYN',
      provider: 'stripe',
      pointToken: token,
    });
    expect(res.status).toBe(410);
    expect((await fetch(`${w.base}/donation-points/${point.id}/qr.png`)).status).toBe(410);
  });
});

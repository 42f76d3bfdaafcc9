import pdfParse from 'pdf-parse';
import { idemKey, openWorld, type World } from './harness';

let w: World;
beforeAll(async () => {
  w = await openWorld({ DONATE_PAGE_URL: 'https://give.example/donate' });
  await w.api('POST', '/offices', {
    body: { id: 'office-a', name: 'МТС Мінск Няміга' },
    key: 'admin',
  });
});
afterAll(async () => {
  await w?.close();
});

async function donate(amount: number, currency = 'BYN') {
  const res = await w.api('POST', '/donations', {
    body: { amount, currency, provider: 'stripe', donorName: 'Аліна' },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return {
    id: res.body.id as string,
    sessionId: res.body.providerRefs.checkoutSessionId as string,
  };
}

describe('receipt numbers', () => {
  it('each succeeded donation gets the next number of its year, with no gaps and none for a failed one', async () => {
    const year = new Intl.DateTimeFormat('en', {
      year: 'numeric',
      timeZone: 'Europe/Minsk',
    }).format(new Date());
    const a = await donate(1000);
    const failed = await donate(2000);
    const b = await donate(3000);
    await w.stripe.pay(b.sessionId);
    await w.stripe.pay(failed.sessionId, { outcome: 'failed' });
    await w.stripe.pay(a.sessionId);
    // A redelivered success must not take a second number.
    await w.stripe.pay(a.sessionId);
    const receipt = async (id: string) => (await w.api('GET', `/donations/${id}`)).body.receipt;
    expect(await receipt(b.id)).toMatchObject({ number: `BFI-${year}-000001`, donorName: 'Аліна' });
    expect(await receipt(a.id)).toMatchObject({ number: `BFI-${year}-000002` });
    expect(await receipt(failed.id)).toBeNull();
  });
});

describe('point tokens on the donate page', () => {
  it('a poster QR opens the configured donate page, and its token names the office', async () => {
    const point = await w.api('POST', '/offices/office-a/points', {
      body: { label: 'Entrance poster', kind: 'poster' },
      key: 'admin',
    });
    const url = new URL(point.body.posterUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://give.example/donate');
    const token = url.searchParams.get('point')!;
    const seen = await w.api('GET', `/point-tokens/${encodeURIComponent(token)}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      kind: 'poster',
      office: { id: 'office-a', name: 'МТС Мінск Няміга' },
      amount: null,
    });
    // A gift through it carries the office's name as it was then (the receipt prints it).
    const gift = await w.api('POST', '/donations', {
      body: { amount: 1000, currency: 'BYN', provider: 'stripe', pointToken: token },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(gift.body).toMatchObject({ channel: 'office', officeName: 'МТС Мінск Няміга' });
  });

  it('a counter QR shows its fixed amount; used or forged it is refused with a readable detail', async () => {
    const point = await w.api('POST', '/offices/office-a/points', {
      body: { label: 'Counter 1', kind: 'counter' },
      key: 'admin',
    });
    const intent = await w.api('POST', `/donation-points/${point.body.id}/intents`, {
      body: { amount: 1500, currency: 'BYN' },
      key: 'admin',
    });
    const token = intent.body.token as string;
    const seen = await w.api('GET', `/point-tokens/${encodeURIComponent(token)}`);
    expect(seen.body).toMatchObject({ kind: 'counter', amount: { minor: 1500, currency: 'BYN' } });
    const forged = await w.api(
      'GET',
      `/point-tokens/${encodeURIComponent(token.slice(0, -3) + 'AAA')}`,
    );
    expect(forged.status).toBe(400);
    expect(forged.body.detail).toMatch(/not issued by us/);
    const paid = await w.api('POST', '/donations', {
      body: { amount: 1500, currency: 'BYN', provider: 'stripe', pointToken: token },
      headers: { 'idempotency-key': idemKey() },
    });
    expect(paid.status).toBe(201);
    const reused = await w.api('GET', `/point-tokens/${encodeURIComponent(token)}`);
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toMatch(/already used/);
  });
});

describe('posters PDF', () => {
  it('prints the office name in Cyrillic', async () => {
    const res = await fetch(`${w.base}/offices/office-a/posters.pdf`, {
      headers: { authorization: 'Bearer key-admin-0001' },
    });
    expect(res.status).toBe(200);
    const text = (await pdfParse(Buffer.from(await res.arrayBuffer()))).text;
    expect(text).toContain('МТС Мінск Няміга');
  });
});

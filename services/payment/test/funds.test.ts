import { eventually } from '@bfi/testing';
import { idemKey, openWorld, type World } from './harness';

// Payment takes a gift only for a fund the ledger announced as open (ledger.fund-changed.v1 on
// the real broker), and refuses any other before the provider sees anything.

let w: World;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w?.close();
});

const give = (fund: string, key = idemKey()) =>
  w.api('POST', '/donations', {
    body: { amount: 1500, currency: 'BYN', provider: 'stripe', fund },
    headers: { 'idempotency-key': key },
  });
const checkoutCalls = () => w.stripe.calls.filter((c) => c.path === '/v1/checkout/sessions');

describe('funds learnt from the ledger', () => {
  it('refuses a gift to a fund the ledger never announced: 422, nothing created, no provider call', async () => {
    const donations = await w.db.donation.count();
    const calls = checkoutCalls().length;
    const res = await give('no-such-fund');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'fund-unknown' });
    expect(res.body.detail).toBe(
      'There is no fund "no-such-fund" to give to. Choose one of the campaign\'s funds (for example "specialist-training"); you have not been charged.',
    );
    expect(await w.db.donation.count()).toBe(donations);
    expect(await w.db.idempotencyKey.count()).toBe(donations);
    expect(checkoutCalls()).toHaveLength(calls);
  });

  it('takes gifts to a fund as soon as its announcement arrives', async () => {
    expect((await give('safe-schools')).status).toBe(422);
    await w.fund('safe-schools', 'open', { wait: false });
    const accepted = await eventually(async () => {
      const res = await give('safe-schools');
      expect(res.status).toBe(201);
      return res;
    });
    expect(accepted.body).toMatchObject({ fund: 'safe-schools', status: 'pending' });
    expect(accepted.body.redirectUrl).toContain('/checkout/');
  });

  it('refuses new gifts to a closed fund, but finishes a gift it took while the fund was open', async () => {
    await w.fund('closing-fund', 'open');
    const key = idemKey();
    const first = await give('closing-fund', key);
    expect(first.status).toBe(201);
    await w.fund('closing-fund', 'closed');
    const calls = checkoutCalls().length;
    const refused = await give('closing-fund');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'fund-closed' });
    expect(refused.body.detail).toMatch(
      /no longer takes gifts\. Choose another fund; you have not been charged\./,
    );
    expect(checkoutCalls()).toHaveLength(calls);
    // The donor's retry of the gift taken while the fund was open answers that gift.
    const retry = await give('closing-fund', key);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('keeps the newest state of a fund: a repeated or older announcement changes nothing', async () => {
    await w.fund('flip-fund', 'open');
    await w.fund('flip-fund', 'closed');
    // A late "open" of version 1 (say, replayed from a dead-letter topic) and a repeat of v2.
    const late = [
      await w.fund('flip-fund', 'open', { wait: false, version: 1 }),
      await w.fund('flip-fund', 'closed', { wait: false, version: 2 }),
    ];
    await eventually(async () =>
      expect(await w.db.inboxEvent.count({ where: { eventId: { in: late } } })).toBe(2),
    );
    expect(await w.db.fund.findUniqueOrThrow({ where: { slug: 'flip-fund' } })).toMatchObject({
      status: 'closed',
      version: 2,
    });
    expect((await give('flip-fund')).status).toBe(422);
  });
});

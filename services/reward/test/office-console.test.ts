// What the office console reads from reward: a counter donation's reward (code masked), a claim
// code checked before anything is handed over (refused exactly as a hand-out would be, nothing
// changes), the low-stock flag, and the office's live stream. Staff see only their own office.
import { openStream, tableCounts } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  OFFICE_A,
  OFFICE_B,
  OFFICE_PHYSICAL_RULE,
  openWorld,
  stockOf,
  type World,
} from './harness';

let world: World;
beforeAll(async () => {
  world = await openWorld();
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE], stockA: 8, stockB: 2 });
});
afterAll(async () => {
  await world?.close();
});

async function rewardedDonation(officeId = OFFICE_A) {
  const posted = donationPosted({ officeId });
  await world.applyDirect(posted);
  const donor = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
  return { donationId: posted.data.donationId, code: donor.body.claimCode as string };
}

describe('a counter donation’s reward', () => {
  it('is 404 until decided, then the pack with the code masked', async () => {
    const posted = donationPosted({ officeId: OFFICE_A });
    const path = `/offices/${OFFICE_A}/rewards/by-donation/${posted.data.donationId}`;
    expect((await world.call('GET', path, world.keys.staffA)).status).toBe(404);
    await world.applyDirect(posted);
    const res = await world.call('GET', path, world.keys.staffA);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'rewarded',
      reward: { kind: 'physical-sticker-pack', status: 'available', fallback: false },
    });
    expect(res.body.reward.claimCodeHint).toMatch(/^••••-••[2-9A-Z]{2}$/);
    // The donor's own answer has the code; the staff answer must not. (A pattern for "any code"
    // also matched digit-only runs of the ids' UUIDs, such as 8428-9687, now and then.)
    const donor = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
    const code = donor.body.claimCode as string;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(JSON.stringify(res.body)).not.toContain(code);
    expect(JSON.stringify(res.body)).not.toContain(code.replace('-', ''));
  });

  it('is not shown to staff of another office, nor under another office’s path', async () => {
    const { donationId } = await rewardedDonation(OFFICE_A);
    const path = `/offices/${OFFICE_A}/rewards/by-donation/${donationId}`;
    expect((await world.call('GET', path, world.keys.staffB)).status).toBe(403);
    const underB = `/offices/${OFFICE_B}/rewards/by-donation/${donationId}`;
    expect((await world.call('GET', underB, world.keys.staffB)).status).toBe(404);
  });
});

describe('checking a claim code before handing out', () => {
  it('says what to hand over and changes nothing', async () => {
    const { code } = await rewardedDonation();
    const before = await tableCounts(world.db);
    const stock = await stockOf(world, OFFICE_A);
    const typed = code.toLowerCase().replace('-', ' ');
    const res = await world.call(
      'GET',
      `/offices/${OFFICE_A}/claim-codes/${encodeURIComponent(typed)}`,
      world.keys.staffA,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code,
      kind: 'physical-sticker-pack',
      status: 'available',
      handOver: { physicalStickerPacks: 1 },
    });
    expect(await tableCounts(world.db)).toBe(before);
    expect(await stockOf(world, OFFICE_A)).toEqual(stock);
  });

  it('refuses as a hand-out would: other office 403, used 409, unknown 404, malformed 400', async () => {
    const { code } = await rewardedDonation();
    const check = (key: string, office: string, c: string) =>
      world.call('GET', `/offices/${office}/claim-codes/${encodeURIComponent(c)}`, key);
    const other = await check(world.keys.staffB, OFFICE_B, code);
    expect([other.status, other.body.code]).toEqual([403, 'wrong-office']);
    expect((await check(world.keys.staffB, OFFICE_A, code)).status).toBe(403);
    const redeemed = await world.call(
      'POST',
      `/offices/${OFFICE_A}/redemptions`,
      world.keys.staffA,
      {
        code,
      },
    );
    expect(redeemed.status).toBe(200);
    const used = await check(world.keys.staffA, OFFICE_A, code);
    expect([used.status, used.body.code]).toEqual([409, 'used']);
    const unknown = await check(world.keys.staffA, OFFICE_A, 'ZZZZ-ZZZZ');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown-code']);
    const malformed = await check(world.keys.staffA, OFFICE_A, 'O0I1-LLLL');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'invalid-code']);
    expect(malformed.body.detail).toMatch(/never contain 0, 1, O, I, L or U/);
  });
});

describe('low stock', () => {
  it('is flagged at or below the threshold (5 by default), per office and in the overview', async () => {
    const b = await world.call('GET', `/offices/${OFFICE_B}/stock`, world.keys.staffB);
    expect(b.body).toMatchObject({ available: 2, lowStock: true, lowStockThreshold: 5 });
    const overview = await world.call('GET', '/admin/stock', world.keys.admin);
    const byId = Object.fromEntries(
      overview.body.offices.map((o: { officeId: string }) => [o.officeId, o]),
    );
    expect(byId[OFFICE_B]).toMatchObject({ lowStock: true });
    await world.call('POST', `/offices/${OFFICE_B}/stock/deliveries`, world.keys.staffB, {
      quantity: 10,
    });
    const after = await world.call('GET', `/offices/${OFFICE_B}/stock`, world.keys.staffB);
    expect(after.body).toMatchObject({ available: 12, lowStock: false });
  });
});

describe('the office’s live stream', () => {
  it('sends the stock at once and again after each change', async () => {
    const stream = await openStream(`${world.baseUrl}/offices/${OFFICE_A}/events`, {
      authorization: `Bearer ${world.keys.staffA}`,
    });
    try {
      expect(stream.status).toBe(200);
      const first = await stream.until((e) => e.event === 'office');
      const start = JSON.parse(first!.data!);
      expect(start).toMatchObject({ officeId: OFFICE_A, lowStockThreshold: 5 });
      await world.call('POST', `/offices/${OFFICE_A}/stock/deliveries`, world.keys.staffA, {
        quantity: 3,
      });
      const next = await stream.until((e) => e.event === 'office');
      expect(JSON.parse(next!.data!)).toMatchObject({
        available: start.available + 3,
        reserved: start.reserved,
      });
    } finally {
      stream.close();
    }
  });

  it('is refused to staff of another office', async () => {
    const stream = await openStream(`${world.baseUrl}/offices/${OFFICE_A}/events`, {
      authorization: `Bearer ${world.keys.staffB}`,
    });
    expect(stream.status).toBe(403);
    stream.close();
  });
});

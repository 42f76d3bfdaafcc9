// Redeeming claim codes at the counter: one-time under concurrency, bound to the office,
// and clear errors for unknown, malformed, expired, used and waiting codes.
import { eventually } from '@bfi/testing';
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
  world = await openWorld({ pool: 20 });
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE], stockA: 20, stockB: 5 });
});
afterAll(async () => {
  await world?.close();
});

/** An office donation through the broker; returns the claim code the donor's page shows. */
async function rewardAt(officeId: string): Promise<{ donationId: string; code: string }> {
  const posted = donationPosted({ officeId });
  await world.publish([posted]);
  const body = await eventually(async () => {
    const res = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
    expect(res.status).toBe(200);
    return res.body;
  });
  return { donationId: posted.data.donationId, code: body.claimCode };
}

const redeem = (office: string, key: string, code: string) =>
  world.call('POST', `/offices/${office}/redemptions`, key, { code });

it('50 concurrent redemptions of one code → exactly one 200, 49 clear 409s, one pack out', async () => {
  const { code, donationId } = await rewardAt(OFFICE_A);
  const before = await stockOf(world, OFFICE_A);
  const results = await Promise.all(
    Array.from({ length: 50 }, () => redeem(OFFICE_A, world.keys.staffA, code)),
  );
  const statuses = results.map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 200)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  for (const r of results.filter((x) => x.status === 409)) {
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status: 409, code: 'used' });
    expect(r.body.detail).toMatch(/already used/);
  }
  const after = await stockOf(world, OFFICE_A);
  expect(after.reserved).toBe(before.reserved - 1);
  expect(after.available).toBe(before.available);
  expect(after).toMatchObject({ ledgerAvailable: after.available, ledgerReserved: after.reserved });
  expect(
    await world.db.stockMovement.count({ where: { kind: 'hand-out', reward: { donationId } } }),
  ).toBe(1);
  expect(
    await world.db.outboxEvent.count({ where: { type: 'reward.handed-out.v1', key: donationId } }),
  ).toBe(1);
});

it('staff of office A redeeming a code of office B → 403, nothing changes', async () => {
  const { code, donationId } = await rewardAt(OFFICE_B);
  const before = await world.db.reward.findUniqueOrThrow({ where: { donationId } });
  const stockA = await stockOf(world, OFFICE_A);
  const stockB = await stockOf(world, OFFICE_B);

  const viaOwnOffice = await redeem(OFFICE_A, world.keys.staffA, code);
  expect(viaOwnOffice.status).toBe(403);
  expect(viaOwnOffice.body.detail).toBe(
    `This claim code belongs to office ${OFFICE_B}; only its staff can hand out the pack.`,
  );
  const viaOtherOffice = await redeem(OFFICE_B, world.keys.staffA, code);
  expect(viaOtherOffice.status).toBe(403);
  expect(viaOtherOffice.body.detail).toMatch(/cannot act for office/);

  expect(await world.db.reward.findUniqueOrThrow({ where: { donationId } })).toEqual(before);
  expect(await stockOf(world, OFFICE_A)).toEqual(stockA);
  expect(await stockOf(world, OFFICE_B)).toEqual(stockB);
  // B's own staff can still redeem it.
  expect((await redeem(OFFICE_B, world.keys.staffB, code)).status).toBe(200);
});

it('unknown, malformed and already-used codes get clear errors', async () => {
  const unknown = await redeem(OFFICE_A, world.keys.staffA, 'ZZZZ-ZZZZ');
  expect(unknown.status).toBe(404);
  expect(unknown.body.detail).toMatch(/No reward has the claim code ZZZZ-ZZZZ/);

  const ambiguous = await redeem(OFFICE_A, world.keys.staffA, 'AB0O-1ILX');
  expect(ambiguous.status).toBe(400);
  expect(ambiguous.body.detail).toMatch(/never contain 0, 1, O, I, L or U/);

  const short = await redeem(OFFICE_A, world.keys.staffA, 'ABC');
  expect(short.status).toBe(400);
  expect(short.body.detail).toMatch(/8 characters/);

  const missing = await world.call(
    'POST',
    `/offices/${OFFICE_A}/redemptions`,
    world.keys.staffA,
    {},
  );
  expect(missing.status).toBe(400);
  expect(missing.body.errors[0].path).toBe('code');

  const { code } = await rewardAt(OFFICE_A);
  expect((await redeem(OFFICE_A, world.keys.staffA, code)).status).toBe(200);
  const again = await redeem(OFFICE_A, world.keys.staffA, code);
  expect(again.status).toBe(409);
  expect(again.body.detail).toMatch(
    /already used: the pack was handed out on .* by Alesia \(Minsk\)/,
  );
});

it('an expired code → 410, and its pack goes back on the shelf', async () => {
  const { code, donationId } = await rewardAt(OFFICE_A);
  const before = await stockOf(world, OFFICE_A);
  world.clock.advanceDays(31);
  try {
    const expired = await redeem(OFFICE_A, world.keys.staffA, code);
    expect(expired.status).toBe(410);
    expect(expired.body.detail).toMatch(/expired on/);
    expect((await world.db.reward.findUniqueOrThrow({ where: { donationId } })).status).toBe(
      'expired',
    );
    const after = await stockOf(world, OFFICE_A);
    expect(after).toMatchObject({ available: before.available + 1, reserved: before.reserved - 1 });
    expect(after).toMatchObject({
      ledgerAvailable: after.available,
      ledgerReserved: after.reserved,
    });
    // Still expired on a second try, and the pack is not returned twice.
    expect((await redeem(OFFICE_A, world.keys.staffA, code)).status).toBe(410);
    expect(await stockOf(world, OFFICE_A)).toEqual(after);
  } finally {
    world.clock.advanceDays(-31);
  }
});

it('a code waiting for stock → 409 until a delivery reserves its pack, then it works', async () => {
  const office = 'vitebsk-lenina-1';
  const posted = donationPosted({ officeId: office });
  await world.publish([posted]);
  const shown = await eventually(async () => {
    const res = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
    expect(res.status).toBe(200);
    return res.body;
  });
  expect(shown.status).toBe('waiting-list');
  expect(shown.message).toMatch(/next delivery/);
  const waiting = await redeem(office, world.keys.admin, shown.claimCode);
  expect(waiting.status).toBe(409);
  expect(waiting.body.code).toBe('waiting');

  const pending = await world.call('GET', `/offices/${office}/pending-handouts`, world.keys.admin);
  expect(pending.body.waitingForStock).toHaveLength(1);
  expect(pending.body.waitingForStock[0].claimCodeHint).toMatch(/^••••-••[2-9A-Z]{2}$/);

  await world.call('POST', `/offices/${office}/stock/deliveries`, world.keys.admin, {
    quantity: 2,
  });
  const ok = await redeem(office, world.keys.admin, shown.claimCode);
  expect(ok.status).toBe(200);
  expect(await stockOf(world, office)).toEqual({
    available: 1,
    reserved: 0,
    ledgerAvailable: 1,
    ledgerReserved: 0,
  });
});

it('staff cannot hand out a digital pack code', async () => {
  await arrange(world, {
    rules: [
      {
        campaign: 'c',
        channel: 'online',
        kind: 'digital-sticker-pack',
        activeFrom: '2020-01-01T00:00:00Z',
        minimums: { BYN: 100 },
      },
    ],
  });
  const posted = donationPosted({ channel: 'online', officeId: null });
  await world.publish([posted]);
  const shown = await eventually(async () => {
    const res = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
    expect(res.status).toBe(200);
    return res.body;
  });
  const res = await redeem(OFFICE_A, world.keys.staffA, shown.claimCode);
  expect(res.status).toBe(422);
  expect(res.body.detail).toMatch(/digital sticker pack/);
});

it('overdue codes drop off the pending list and their packs return, without anyone scanning them', async () => {
  const office = 'pinsk-lenina-2';
  await world.call('POST', `/offices/${office}/stock/deliveries`, world.keys.admin, {
    quantity: 3,
  });
  const posted = donationPosted({ officeId: office });
  await world.publish([posted]);
  await eventually(async () => {
    expect(
      (await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`)).body.status,
    ).toBe('available');
  });
  expect(await stockOf(world, office)).toMatchObject({ available: 2, reserved: 1 });
  world.clock.advanceDays(30);
  try {
    const pending = await world.call(
      'GET',
      `/offices/${office}/pending-handouts`,
      world.keys.admin,
    );
    expect(pending.body.readyToHandOut).toEqual([]);
    expect(await stockOf(world, office)).toEqual({
      available: 3,
      reserved: 0,
      ledgerAvailable: 3,
      ledgerReserved: 0,
    });
    const page = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
    expect(page.body).toMatchObject({ status: 'expired', claimCode: null });
  } finally {
    world.clock.advanceDays(-30);
  }
});

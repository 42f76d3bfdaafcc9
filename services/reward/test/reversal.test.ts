// ledger.donation-reversed: unclaimed rewards are revoked (pack back on the shelf), claimed
// ones flagged for finance; reward.revoked is on the broker either way.
import { eventually } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  donationReversed,
  OFFICE_A,
  OFFICE_PHYSICAL_RULE,
  openWorld,
  stockOf,
  type World,
} from './harness';

let world: World;
beforeAll(async () => {
  world = await openWorld();
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE], stockA: 10 });
});
afterAll(async () => {
  await world?.close();
});

async function decided(donationId: string) {
  return eventually(async () => {
    const res = await world.call('GET', `/rewards/by-donation/${donationId}`);
    expect(res.status).toBe(200);
    return res.body;
  });
}

async function statusOf(donationId: string, expected: string) {
  return eventually(async () => {
    const reward = await world.db.reward.findUniqueOrThrow({ where: { donationId } });
    expect(reward.status).toBe(expected);
    return reward;
  });
}

it('reversal before hand-out → revoked, pack returned, code dead, reward.revoked (wasClaimed false)', async () => {
  const tap = await world.tapRewards();
  const posted = donationPosted({ officeId: OFFICE_A });
  await world.publish([posted]);
  const shown = await decided(posted.data.donationId);
  const reserved = await stockOf(world, OFFICE_A);

  await world.publish([donationReversed(posted, { reason: 'refund' })]);
  await statusOf(posted.data.donationId, 'revoked');

  const after = await stockOf(world, OFFICE_A);
  expect(after).toMatchObject({
    available: reserved.available + 1,
    reserved: reserved.reserved - 1,
  });
  expect(after).toMatchObject({ ledgerAvailable: after.available, ledgerReserved: after.reserved });

  const redeem = await world.call('POST', `/offices/${OFFICE_A}/redemptions`, world.keys.staffA, {
    code: shown.claimCode,
  });
  expect(redeem.status).toBe(409);
  expect(redeem.body.detail).toMatch(/revoked \(refund\)/);
  expect(
    (await world.call('GET', `/rewards/by-donation/${posted.data.donationId}/claim-qr.png`)).status,
  ).toBe(410);
  const page = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
  expect(page.body).toMatchObject({ status: 'revoked', claimCode: null });

  await eventually(() => {
    const revoked = tap
      .events()
      .find((e) => e.type === 'reward.revoked.v1' && e.subject === posted.data.donationId);
    expect(revoked?.data).toMatchObject({
      status: 'revoked',
      wasClaimed: false,
      reason: 'refund',
      officeId: OFFICE_A,
    });
  });
});

it('reversal after hand-out → flagged for finance, stock untouched, reward.revoked (wasClaimed true)', async () => {
  const tap = await world.tapRewards();
  const posted = donationPosted({ officeId: OFFICE_A });
  await world.publish([posted]);
  const shown = await decided(posted.data.donationId);
  expect(
    (
      await world.call('POST', `/offices/${OFFICE_A}/redemptions`, world.keys.staffA, {
        code: shown.claimCode,
      })
    ).status,
  ).toBe(200);
  const handedOut = await stockOf(world, OFFICE_A);

  await world.publish([donationReversed(posted, { reason: 'dispute-lost' })]);
  await statusOf(posted.data.donationId, 'flagged');
  expect(await stockOf(world, OFFICE_A)).toEqual(handedOut);

  const flagged = await world.call('GET', '/finance/flagged-rewards', world.keys.finance);
  expect(flagged.status).toBe(200);
  expect(flagged.body.rewards).toEqual([
    expect.objectContaining({
      donationId: posted.data.donationId,
      reason: 'dispute-lost',
      handedOutBy: 'Alesia (Minsk)',
      gross: { minor: 2500, currency: 'BYN' },
      reversed: { minor: 2500, currency: 'BYN' },
    }),
  ]);
  expect((await world.call('GET', '/finance/flagged-rewards', world.keys.staffA)).status).toBe(403);

  await eventually(() => {
    const revoked = tap
      .events()
      .find((e) => e.type === 'reward.revoked.v1' && e.subject === posted.data.donationId);
    expect(revoked?.data).toMatchObject({
      status: 'flagged',
      wasClaimed: true,
      reason: 'dispute-lost',
    });
  });
});

it('a small partial refund keeps the reward; the one that drops it below the minimum revokes it; repeats change nothing', async () => {
  const posted = donationPosted({ officeId: OFFICE_A, gross: { minor: 2500, currency: 'BYN' } }); // minimum 1000
  await world.publish([posted]);
  await decided(posted.data.donationId);
  const partial = donationReversed(posted, {
    amount: { minor: 1000, currency: 'BYN' },
    fullyReversed: false,
  });
  await world.publish([partial, partial]);
  await eventually(async () => {
    const d = await world.db.decision.findUniqueOrThrow({
      where: { donationId: posted.data.donationId },
    });
    expect(Number(d.reversedMinor)).toBe(1000); // the duplicate was not counted twice
  });
  expect(
    (await world.db.reward.findUniqueOrThrow({ where: { donationId: posted.data.donationId } }))
      .status,
  ).toBe('available');

  // 1500 − 600 = 900 left, below the 1000 minimum.
  await world.publish([
    donationReversed(posted, { amount: { minor: 600, currency: 'BYN' }, fullyReversed: false }),
  ]);
  await statusOf(posted.data.donationId, 'revoked');
  expect(
    await world.db.outboxEvent.count({
      where: { type: 'reward.revoked.v1', key: posted.data.donationId },
    }),
  ).toBe(1);
});

it('a waiting-list reward is revoked without touching stock', async () => {
  const office = 'mogilev-pervomayskaya-3';
  const posted = donationPosted({ officeId: office });
  await world.publish([posted]);
  expect((await decided(posted.data.donationId)).status).toBe('waiting-list');
  await world.publish([donationReversed(posted)]);
  await statusOf(posted.data.donationId, 'revoked');
  expect(await stockOf(world, office)).toEqual({
    available: 0,
    reserved: 0,
    ledgerAvailable: 0,
    ledgerReserved: 0,
  });
  // A later delivery does not serve the revoked donor.
  const delivered = await world.call(
    'POST',
    `/offices/${office}/stock/deliveries`,
    world.keys.admin,
    { quantity: 1 },
  );
  expect(delivered.body.servedFromWaitingList).toEqual([]);
});

it('a reversal racing a redemption ends consistent: either revoked with the pack back, or handed out and flagged', async () => {
  const posted = donationPosted({ officeId: OFFICE_A });
  await world.publish([posted]);
  const shown = await decided(posted.data.donationId);
  const before = await stockOf(world, OFFICE_A);
  const [redeemed] = await Promise.all([
    world.call('POST', `/offices/${OFFICE_A}/redemptions`, world.keys.staffA, {
      code: shown.claimCode,
    }),
    world.applyDirect(donationReversed(posted)),
  ]);
  const reward = await world.db.reward.findUniqueOrThrow({
    where: { donationId: posted.data.donationId },
  });
  const after = await stockOf(world, OFFICE_A);
  if (redeemed.status === 200) {
    expect(reward.status).toBe('flagged');
    expect(after).toMatchObject({ available: before.available, reserved: before.reserved - 1 });
  } else {
    expect(redeemed.status).toBe(409);
    expect(reward.status).toBe('revoked');
    expect(after).toMatchObject({ available: before.available + 1, reserved: before.reserved - 1 });
  }
  expect(after).toMatchObject({ ledgerAvailable: after.available, ledgerReserved: after.reserved });
});

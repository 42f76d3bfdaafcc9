// Rules applied to ledger events: one decision per donation whatever the broker does, and
// stock that never goes negative under concurrent reservations.
import { randomUUID } from 'node:crypto';
import { eventually } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  OFFICE_A,
  OFFICE_B,
  OFFICE_PHYSICAL_RULE,
  ONLINE_DIGITAL_RULE,
  openWorld,
  stockOf,
  type World,
} from './harness';

let world: World;
beforeAll(async () => {
  world = await openWorld({ pool: 20 });
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE, ONLINE_DIGITAL_RULE], stockA: 3 });
});
afterAll(async () => {
  await world?.close();
});

async function rewardShown(donationId: string) {
  return eventually(async () => {
    const res = await world.call('GET', `/rewards/by-donation/${donationId}`);
    expect(res.status).toBe(200);
    return res.body;
  });
}

it('a redelivered or duplicated ledger event gives exactly one reward and one reward.unlocked', async () => {
  const tap = await world.tapRewards();
  const posted = donationPosted({ officeId: OFFICE_A });
  // The same event three times (redelivery), and the same donation under a new event id (re-publish).
  const republished = { ...donationPosted({ ...posted.data }), id: randomUUID() };
  await world.publish([posted, posted, posted, republished]);
  await rewardShown(posted.data.donationId);
  // Wait until the broker handed over all four messages, then count effects.
  await eventually(async () => {
    const inbox = await world.db.inboxEvent.count({
      where: { eventId: { in: [posted.id, republished.id] } },
    });
    expect(inbox).toBe(2);
  });
  expect(await world.db.reward.count({ where: { donationId: posted.data.donationId } })).toBe(1);
  expect(await world.db.decision.count({ where: { donationId: posted.data.donationId } })).toBe(1);
  await new Promise((r) => setTimeout(r, 500)); // room for a wrong second event to show up
  await eventually(() => {
    const unlocked = tap.events().filter((e) => e.subject === posted.data.donationId);
    expect(unlocked.map((e) => e.type)).toEqual(['reward.unlocked.v1']);
  });
  expect((await stockOf(world, OFFICE_A)).reserved).toBe(1);
});

it('an online donation gets a digital pack with a one-time code and link', async () => {
  const posted = donationPosted({
    channel: 'online',
    officeId: null,
    gross: { minor: 700, currency: 'BYN' },
  });
  await world.publish([posted]);
  const shown = await rewardShown(posted.data.donationId);
  expect(shown).toMatchObject({ kind: 'digital-sticker-pack', status: 'available', qr: null });
  expect(shown.digitalPackLink).toBe(`http://reward.test/digital-packs/${shown.claimCode}`);

  const opened = await world.call('POST', `/digital-packs/${shown.claimCode}/claim`);
  expect(opened.status).toBe(200);
  expect(opened.body.downloadUrl).toBe(
    `https://stickers.test/packs/${shown.claimCode.replace('-', '')}`,
  );
  const again = await world.call('POST', `/digital-packs/${shown.claimCode}/claim`);
  expect(again.status).toBe(409);
  expect(again.body.detail).toMatch(/already opened/);
});

it('a donation below the minimum, or in a currency without a minimum, unlocks nothing (decision still recorded)', async () => {
  const small = donationPosted({ officeId: OFFICE_A, gross: { minor: 999, currency: 'BYN' } });
  const euro = donationPosted({ officeId: OFFICE_A, gross: { minor: 100000, currency: 'EUR' } });
  await world.publish([small, euro]);
  const shown = await rewardShown(small.data.donationId);
  expect(shown).toMatchObject({ status: 'none' });
  await rewardShown(euro.data.donationId);
  const decisions = await world.db.decision.findMany({
    where: { donationId: { in: [small.data.donationId, euro.data.donationId] } },
  });
  expect(decisions.map((d) => [d.outcome, d.reason]).sort()).toEqual([
    ['no-reward', '999 BYN (minor units) is below the minimum of 1000'],
    ['no-reward', 'no active rule sets a minimum in EUR'],
  ]);
});

it('100 concurrent office donations against a stock of 10 → 10 reserved, 90 waiting, stock 0, never negative', async () => {
  const office = 'brest-masherova-5';
  await world.db.$transaction(async (tx) => {
    await tx.officeStock.create({ data: { officeId: office } });
    await tx.stockMovement.create({
      data: {
        officeId: office,
        kind: 'delivery',
        availableDelta: 10,
        reservedDelta: 0,
        actor: 'test',
      },
    });
    await tx.officeStock.update({ where: { officeId: office }, data: { available: 10 } });
  });
  const events = Array.from({ length: 100 }, () => donationPosted({ officeId: office }));
  // Straight into the inbox consumer, all at once: 100 transactions racing for 10 packs.
  const outcomes = await Promise.all(events.map((e) => world.applyDirect(e)));
  expect(outcomes.every((o) => o === 'processed')).toBe(true);

  const rewards = await world.db.reward.groupBy({
    by: ['status'],
    where: { officeId: office },
    _count: true,
  });
  expect(Object.fromEntries(rewards.map((r) => [r.status, r._count]))).toEqual({
    available: 10,
    'waiting-list': 90,
  });
  expect(await stockOf(world, office)).toEqual({
    available: 0,
    reserved: 10,
    ledgerAvailable: 0,
    ledgerReserved: 10,
  });
  expect(
    await world.db.stockMovement.count({ where: { officeId: office, kind: 'reservation' } }),
  ).toBe(10);

  // Staff see the waiting list; the admin overview shows the shortage.
  const overview = await world.call('GET', '/admin/stock', world.keys.admin);
  expect(
    overview.body.offices.find((o: { officeId: string }) => o.officeId === office),
  ).toMatchObject({
    available: 0,
    reserved: 10,
    waitingList: 90,
  });

  // A delivery of 25 serves the 25 oldest waiting donors and tells them (reward.unlocked).
  const tap = await world.tapRewards();
  const staffKey = world.keys.admin; // admin may act for any office
  const delivered = await world.call('POST', `/offices/${office}/stock/deliveries`, staffKey, {
    quantity: 25,
    note: 'waybill 42',
  });
  expect(delivered.status).toBe(201);
  expect(delivered.body.servedFromWaitingList).toHaveLength(25);
  expect(delivered.body.stock).toMatchObject({ available: 0, reserved: 35 });
  const servedIds = new Set(delivered.body.servedFromWaitingList);
  await eventually(() => {
    const served = tap
      .events()
      .filter(
        (e) =>
          e.type === 'reward.unlocked.v1' &&
          servedIds.has((e.data as { rewardId: string }).rewardId),
      );
    // Each served donor was told twice: first "waiting-list", now "available".
    expect(
      served.filter((e) => (e.data as { status: string }).status === 'available'),
    ).toHaveLength(25);
    expect(
      served.filter((e) => (e.data as { status: string }).status === 'waiting-list'),
    ).toHaveLength(25);
  });
  expect(await stockOf(world, office)).toEqual({
    available: 0,
    reserved: 35,
    ledgerAvailable: 0,
    ledgerReserved: 35,
  });
});

it('out of stock with a digital-fallback rule gives the digital pack instead, visibly marked', async () => {
  const rule = { ...OFFICE_PHYSICAL_RULE, outOfStock: 'digital-fallback', priority: 20 };
  const created = await world.call('POST', '/admin/rules', world.keys.admin, rule);
  expect(created.status).toBe(201);
  try {
    // Office B has no stock at all.
    const posted = donationPosted({ officeId: OFFICE_B });
    await world.publish([posted]);
    const shown = await rewardShown(posted.data.donationId);
    expect(shown).toMatchObject({
      kind: 'digital-sticker-pack',
      status: 'available',
      fallback: true,
      officeId: OFFICE_B,
    });
    expect(shown.message).toMatch(/run out/);
    expect((await stockOf(world, OFFICE_B)).available).toBe(0);
    const overview = await world.call('GET', '/admin/stock', world.keys.admin);
    expect(
      overview.body.offices.find((o: { officeId: string }) => o.officeId === OFFICE_B),
    ).toMatchObject({ digitalFallbacks: 1 });
  } finally {
    // End the rule so the other tests keep their setup (a used rule cannot be deleted).
    await world.call('PUT', `/admin/rules/${created.body.id}`, world.keys.admin, {
      ...rule,
      activeUntil: new Date().toISOString(),
    });
  }
});

it('the database refuses negative stock even if the code tried', async () => {
  await expect(
    world.db.officeStock.update({ where: { officeId: OFFICE_A }, data: { available: -1 } }),
  ).rejects.toThrow(/office_stock_available_non_negative/);
  await expect(world.db.stockMovement.updateMany({ data: { reason: 'edited' } })).rejects.toThrow(
    /append-only/,
  );
});

// A ledger.donation-posted for an office donation on the real broker yields a reward
// with a claim code, staff of that office redeem it, reward.unlocked + reward.handed-out are on
// the broker, and the office's stock is down by one.
import { eventually } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  OFFICE_A,
  OFFICE_PHYSICAL_RULE,
  openWorld,
  stockOf,
  type World,
} from './harness';

let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(async () => {
  await world?.close();
});

it('office donation on the broker → claim code → staff redeem → events on the broker, stock −1', async () => {
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE], stockA: 5 });
  const tap = await world.tapRewards();
  const posted = donationPosted({ officeId: OFFICE_A, gross: { minor: 2500, currency: 'BYN' } });

  await world.publish([posted]);

  // The thank-you page polls this until the decision is there.
  const shown = await eventually(async () => {
    const res = await world.call('GET', `/rewards/by-donation/${posted.data.donationId}`);
    expect(res.status).toBe(200);
    return res.body;
  });
  expect(shown).toMatchObject({
    kind: 'physical-sticker-pack',
    status: 'available',
    officeId: OFFICE_A,
  });
  expect(shown.claimCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  expect(shown.qr.png).toContain(`/rewards/by-donation/${posted.data.donationId}/claim-qr.png`);
  expect(shown.helpResources.childHelpline).toBe('8 800 100 16 11');

  // The donor's phone shows the QR; it encodes the code the staff scan.
  const png = await world.call(
    'GET',
    `/rewards/by-donation/${posted.data.donationId}/claim-qr.png`,
  );
  expect(png.status).toBe(200);
  expect(png.headers.get('content-type')).toBe('image/png');
  expect(png.raw.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  const svg = await world.call(
    'GET',
    `/rewards/by-donation/${posted.data.donationId}/claim-qr.svg`,
  );
  expect(svg.headers.get('content-type')).toContain('image/svg+xml');
  expect(svg.body).toContain('<svg');

  const before = await stockOf(world, OFFICE_A);
  expect(before).toMatchObject({ available: 4, reserved: 1 });

  const pending = await world.call(
    'GET',
    `/offices/${OFFICE_A}/pending-handouts`,
    world.keys.staffA,
  );
  expect(pending.body.readyToHandOut.map((r: { donationId: string }) => r.donationId)).toEqual([
    posted.data.donationId,
  ]);

  const redeemed = await world.call('POST', `/offices/${OFFICE_A}/redemptions`, world.keys.staffA, {
    code: shown.claimCode.toLowerCase(), // typed by hand: case and dash do not matter
  });
  expect(redeemed.status).toBe(200);
  expect(redeemed.body).toMatchObject({ status: 'handed-out', handedOutBy: 'Alesia (Minsk)' });

  const events = await eventually(() => {
    const seen = tap.events().filter((e) => e.subject === posted.data.donationId);
    expect(seen.map((e) => e.type)).toEqual(['reward.unlocked.v1', 'reward.handed-out.v1']);
    return seen;
  });
  expect(events[0]?.data).toMatchObject({
    status: 'available',
    officeId: OFFICE_A,
    kind: 'physical-sticker-pack',
  });
  expect(events[1]?.data).toMatchObject({ status: 'handed-out', handedOutBy: 'Alesia (Minsk)' });

  // Stock down by one: 5 delivered, 1 handed out; the ledger explains the counters.
  const after = await stockOf(world, OFFICE_A);
  expect(after).toEqual({ available: 4, reserved: 0, ledgerAvailable: 4, ledgerReserved: 0 });
  const stock = await world.call('GET', `/offices/${OFFICE_A}/stock`, world.keys.staffA);
  expect(stock.body).toMatchObject({ available: 4, reserved: 0, onShelf: 4 });
  expect(stock.body.recentMovements.map((m: { kind: string }) => m.kind)).toEqual([
    'hand-out',
    'reservation',
    'delivery',
  ]);

  const history = await world.call('GET', `/offices/${OFFICE_A}/handouts`, world.keys.staffA);
  expect(history.body.handouts).toHaveLength(1);
  expect(history.body.handouts[0]).toMatchObject({
    donationId: posted.data.donationId,
    handedOutBy: 'Alesia (Minsk)',
  });
});

// Fuzz: every route of /openapi.json with valid and hostile inputs against the real service on
// real PostgreSQL. No answer is 5xx, and a refused request changes nothing.
import { fuzzOpenApi, tableCounts } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  OFFICE_A,
  OFFICE_PHYSICAL_RULE,
  openWorld,
  type World,
} from './harness';

let world: World;
let known: Record<string, string[]>;
beforeAll(async () => {
  process.env.PUBLIC_RATE_LIMIT = '1000000';
  world = await openWorld();
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE], stockA: 3 });
  const posted = donationPosted({ officeId: OFFICE_A });
  await world.applyDirect(posted);
  const rules = await world.call('GET', '/admin/rules', world.keys.admin);
  known = {
    officeId: [OFFICE_A],
    donationId: [posted.data.donationId],
    ruleId: rules.body.rules.map((r: { id: string }) => r.id),
  };
});
afterAll(async () => {
  await world?.close();
});

/** Requests per documented operation (FUZZ_RUNS to go deeper). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

it('no route answers 5xx to hostile input, and a refused request changes nothing', async () => {
  const openapi = (await world.call('GET', '/openapi.json')).body;
  const result = await fuzzOpenApi(world.baseUrl, {
    openapi,
    knownParams: known,
    authorizations: [
      `Bearer ${world.keys.admin}`,
      `Bearer ${world.keys.staffA}`,
      `Bearer ${world.keys.finance}`,
      undefined,
    ],
    runsPerRoute: RUNS,
    fingerprint: () => tableCounts(world.db),
  });
  expect(result.sent).toBe(RUNS * result.operations);
  expect(result.serverErrors).toBe('');
  expect(result.changedOn4xx).toBe('');
}, 600_000);

describe('inputs that answered 500 before', () => {
  it.each([
    ['GET', '/offices/minsk%00/pending-handouts', undefined],
    ['GET', `/offices/${OFFICE_A}/stock/movements?before=99999999999999999999`, undefined],
    ['POST', `/offices/${OFFICE_A}/stock/deliveries`, { quantity: 1, note: 'waybill\u0000' }],
  ])('%s %s %j → 400, nothing stored', async (method, url, body) => {
    const before = await tableCounts(world.db);
    const res = await world.call(method, url, world.keys.admin, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await tableCounts(world.db)).toBe(before);
  });
});

describe('refusals that used to leave something behind', () => {
  it('removing packs from an office that has none → 409, and no stock row appears for it', async () => {
    // An office no request has touched (the fuzz run above may have stocked any id it drew).
    const before = await tableCounts(world.db);
    const res = await world.call(
      'POST',
      `/offices/never-stocked-${Date.now()}/stock/adjustments`,
      world.keys.admin,
      { delta: -9, reason: 'damaged in transit' },
    );
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('Cannot remove 9 packs');
    expect(await tableCounts(world.db)).toBe(before);
  });
});

// The HTTP surface: roles, validation (problem+json, nothing changes), rules as data, stock
// operations with their ledger, OpenAPI, health and metrics.
import path from 'node:path';
import { expectNoDrift } from '@bfi/db';
import { seedDemo } from '../src/db/seed';
import {
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
});
afterAll(async () => {
  await world?.close();
});

it('migrations match schema.prisma', async () => {
  await expectNoDrift(path.join(__dirname, '..'));
});

describe('roles', () => {
  it('needs a key for staff and admin endpoints, and the right role and office', async () => {
    const none = await world.call('GET', `/offices/${OFFICE_A}/stock`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await world.call('GET', `/offices/${OFFICE_A}/stock`, 'bfi_not-a-key')).status).toBe(
      401,
    );
    expect((await world.call('GET', `/offices/${OFFICE_B}/stock`, world.keys.staffA)).status).toBe(
      403,
    );
    expect((await world.call('GET', '/admin/rules', world.keys.staffA)).status).toBe(403);
    expect((await world.call('GET', '/admin/stock', world.keys.finance)).status).toBe(403);
    expect((await world.call('GET', `/offices/${OFFICE_A}/stock`, world.keys.finance)).status).toBe(
      403,
    );
    expect((await world.call('GET', `/offices/${OFFICE_A}/stock`, world.keys.staffA)).status).toBe(
      200,
    );
  });

  it('staff of office A cannot change the stock of office B', async () => {
    const res = await world.call(
      'POST',
      `/offices/${OFFICE_B}/stock/deliveries`,
      world.keys.staffA,
      { quantity: 5 },
    );
    expect(res.status).toBe(403);
    expect(await stockOf(world, OFFICE_B)).toEqual({
      available: 0,
      reserved: 0,
      ledgerAvailable: 0,
      ledgerReserved: 0,
    });
  });
});

describe('rules', () => {
  it('creates, lists, replaces and deletes rules; refuses inconsistent ones with reasons', async () => {
    const created = await world.call(
      'POST',
      '/admin/rules',
      world.keys.admin,
      OFFICE_PHYSICAL_RULE,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      channel: 'office',
      kind: 'physical-sticker-pack',
      minimums: { BYN: 1000, USD: 500 },
      fund: null,
    });
    const id = created.body.id;

    const listed = await world.call('GET', '/admin/rules', world.keys.admin);
    expect(listed.body.rules.map((r: { id: string }) => r.id)).toContain(id);

    const replaced = await world.call('PUT', `/admin/rules/${id}`, world.keys.admin, {
      ...OFFICE_PHYSICAL_RULE,
      minimums: { EUR: 300 },
      activeUntil: '2030-01-01T00:00:00Z',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.minimums).toEqual({ EUR: 300 });
    expect((await world.call('GET', `/admin/rules/${id}`, world.keys.admin)).body.activeUntil).toBe(
      '2030-01-01T00:00:00.000Z',
    );

    const physicalOnline = await world.call('POST', '/admin/rules', world.keys.admin, {
      ...OFFICE_PHYSICAL_RULE,
      channel: 'online',
    });
    expect(physicalOnline.status).toBe(422);
    expect(physicalOnline.body.detail).toMatch(/physical sticker pack is handed out in an office/);

    const bad = await world.call('POST', '/admin/rules', world.keys.admin, {
      ...OFFICE_PHYSICAL_RULE,
      minimums: { XYZ: 10, BYN: 12.5 },
      activeFrom: 'yesterday',
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['activeFrom', 'minimums', 'minimums.BYN']));
    expect(bad.body.detail).toMatch(/minimums: Unrecognized key: "XYZ"/);

    expect((await world.call('DELETE', `/admin/rules/${id}`, world.keys.admin)).status).toBe(204);
    expect((await world.call('GET', `/admin/rules/${id}`, world.keys.admin)).status).toBe(404);
    expect(await world.db.rewardRule.count({ where: { id } })).toBe(0);
  });
});

describe('stock', () => {
  const office = 'grodno-sovetskaya-8';

  it('delivery, adjustment with reason, physical count — each explained by the ledger', async () => {
    const key = world.keys.admin;
    expect(
      (
        await world.call('POST', `/offices/${office}/stock/deliveries`, key, {
          quantity: 12,
          note: 'waybill 7',
        })
      ).status,
    ).toBe(201);

    const noReason = await world.call('POST', `/offices/${office}/stock/adjustments`, key, {
      delta: -2,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('reason');

    const damaged = await world.call('POST', `/offices/${office}/stock/adjustments`, key, {
      delta: -2,
      reason: 'water damage',
    });
    expect(damaged.status).toBe(201);
    expect(damaged.body.stock).toMatchObject({ available: 10 });

    const tooMany = await world.call('POST', `/offices/${office}/stock/adjustments`, key, {
      delta: -11,
      reason: 'lost',
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.detail).toMatch(/only 10 are free/);

    const count = await world.call('POST', `/offices/${office}/stock/counts`, key, { counted: 9 });
    expect(count.status).toBe(201);
    expect(count.body).toMatchObject({ difference: -1, stock: { available: 9, reserved: 0 } });
    const matching = await world.call('POST', `/offices/${office}/stock/counts`, key, {
      counted: 9,
      note: 'evening count',
    });
    expect(matching.body.difference).toBe(0);

    const movements = await world.call('GET', `/offices/${office}/stock/movements?limit=10`, key);
    expect(
      movements.body.movements.map(
        (m: { kind: string; availableDelta: number; reason: string | null }) => [
          m.kind,
          m.availableDelta,
          m.reason,
        ],
      ),
    ).toEqual([
      ['count', 0, 'physical count: 9 packs (books said 9); evening count'],
      ['count', -1, 'physical count: 9 packs (books said 10)'],
      ['adjustment', -2, 'water damage'],
      ['delivery', 12, 'waybill 7'],
    ]);
    expect(await stockOf(world, office)).toEqual({
      available: 9,
      reserved: 0,
      ledgerAvailable: 9,
      ledgerReserved: 0,
    });
    const page2 = await world.call(
      'GET',
      `/offices/${office}/stock/movements?limit=2&before=${movements.body.movements[1].id}`,
      key,
    );
    expect(page2.body.movements.map((m: { kind: string }) => m.kind)).toEqual([
      'adjustment',
      'delivery',
    ]);
  });

  it('bad input is refused with a clear 400 and changes nothing', async () => {
    const before = await stockOf(world, office);
    for (const body of [
      { quantity: 0 },
      { quantity: 2.5 },
      { quantity: '3' },
      { quantity: 3, extra: true },
    ]) {
      const res = await world.call(
        'POST',
        `/offices/${office}/stock/deliveries`,
        world.keys.admin,
        body,
      );
      expect(res.status).toBe(400);
      expect(res.body.title).toBe('Bad request');
    }
    const json = await fetch(`${world.baseUrl}/offices/${office}/stock/deliveries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.keys.admin}`, 'content-type': 'application/json' },
      body: '{"quantity": ',
    });
    expect(json.status).toBe(400);
    expect(await stockOf(world, office)).toEqual(before);
  });
});

describe('donor endpoints', () => {
  it('explains a donation not decided yet, and refuses a malformed id', async () => {
    const unknown = await world.call(
      'GET',
      '/rewards/by-donation/5b0c3d1e-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/No reward decision for this donation yet/);
    const bad = await world.call('GET', '/rewards/by-donation/42');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/donation id/);
  });
});

describe('operations', () => {
  it('serves OpenAPI, health, readiness and metrics', async () => {
    const doc = await world.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const redeem = doc.body.paths['/offices/{officeId}/redemptions'].post;
    expect(redeem.requestBody.content['application/json'].schema.required).toEqual(['code']);
    expect(Object.keys(redeem.responses)).toEqual(
      expect.arrayContaining(['200', '403', '404', '409', '410']),
    );
    expect(
      doc.body.paths['/admin/rules'].post.requestBody.content['application/json'].schema.properties
        .kind.enum,
    ).toEqual(['physical-sticker-pack', 'digital-sticker-pack']);

    expect((await world.call('GET', '/healthz')).body).toEqual({ status: 'ok', service: 'reward' });
    const ready = await world.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', broker: 'ok' });
    const metrics = await world.call('GET', '/metrics');
    expect(metrics.body).toContain('http_request_duration_seconds');
  });
});

describe('demo data', () => {
  it('seedDemo creates rules and stock once', async () => {
    const fresh = await openWorld();
    try {
      expect(await seedDemo(fresh.db, { stockPerOffice: 7 })).toEqual({ created: true });
      expect(await seedDemo(fresh.db)).toEqual({ created: false });
      const rules = await fresh.call('GET', '/admin/rules', fresh.keys.admin);
      expect(
        rules.body.rules
          .map((r: { channel: string; kind: string }) => `${r.channel}/${r.kind}`)
          .sort(),
      ).toEqual([
        'office/digital-sticker-pack',
        'office/physical-sticker-pack',
        'online/digital-sticker-pack',
      ]);
      const overview = await fresh.call('GET', '/admin/stock', fresh.keys.admin);
      expect(overview.body.totals).toEqual({ available: 14, reserved: 0, waitingList: 0 });
    } finally {
      await fresh.close();
    }
  });
});

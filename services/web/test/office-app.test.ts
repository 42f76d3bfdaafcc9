// The console's app functions against the real services of the embedded suite, called the way
// a PersonApi calls them (JSON, bearer credential; here the demo staff API keys, which the
// services bind to one office exactly as they bind a person token).
import type { ApiAnswer } from '../src/app/api';
import { officesWithPoints, stockOverview } from '../src/app/office-admin';
import {
  ApiRefused,
  changeStock,
  checkCode,
  createCounterQr,
  intentStatus,
  loadDashboard,
  minskDay,
  parseAmount,
} from '../src/app/office-console';
import type { PersonApi, ServiceName } from '../src/app/office-person-api';
import { OFFICE, suite, type Suite } from './support/browser';

const OTHER = 'gomel-sovetskaya-21';
let s: Suite;
beforeAll(() => {
  s = suite();
});

function keyed(key: string): PersonApi {
  const base = (service: ServiceName) =>
    ({ payment: s.urls.payment, ledger: s.urls.ledger, reward: s.urls.reward })[service];
  return {
    async call<T>(service: ServiceName, method: string, path: string, body?: unknown) {
      const res = await fetch(base(service) + path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const parsed = text ? JSON.parse(text) : null;
      return {
        status: res.status,
        ok: res.ok,
        body: parsed as T,
        detail: res.ok ? null : (parsed?.detail ?? null),
      } satisfies ApiAnswer<T>;
    },
    raw: (service, path, init) =>
      fetch(base(service) + path, {
        ...init,
        headers: { ...(init?.headers as object), authorization: `Bearer ${key}` },
      }),
  };
}

it('reads amounts as people type them and days in Minsk', () => {
  expect([parseAmount('15'), parseAmount('15,5'), parseAmount(' 15.50 ')]).toEqual([
    1500, 1550, 1550,
  ]);
  expect([parseAmount('0'), parseAmount('1.234'), parseAmount('-3'), parseAmount('abc')]).toEqual([
    null,
    null,
    null,
    null,
  ]);
  expect(minskDay('2026-12-01T21:30:00Z')).toBe('2026-12-02');
});

it('the dashboard of one’s own office: points, stock with the low-stock flag, today’s lists', async () => {
  const d = await loadDashboard(keyed(s.keys.staff[OFFICE.id]!), OFFICE.id, new Date());
  expect(d.points.some((p) => p.kind === 'counter')).toBe(true);
  expect(d.stock).toMatchObject({ officeId: OFFICE.id, lowStockThreshold: 5 });
  expect(d.stock.onShelf).toBe(d.stock.available + d.stock.reserved);
  expect(Array.isArray(d.gifts) && Array.isArray(d.handouts)).toBe(true);
});

it('a counter QR made through the app is waiting, and a malformed claim code is refused with its reason', async () => {
  const staff = keyed(s.keys.staff[OFFICE.id]!);
  const d = await loadDashboard(staff, OFFICE.id, new Date());
  const counter = d.points.find((p) => p.kind === 'counter')!;
  const made = await createCounterQr(staff, counter.id, { minor: 1500, currency: 'BYN' });
  expect(made.ok).toBe(true);
  const status = await intentStatus(staff, counter.id, made.ok ? made.value.id : '');
  expect(status.ok && status.value.state).toBe('waiting');
  const malformed = await checkCode(staff, OFFICE.id, 'O0O0-1111');
  expect(!malformed.ok && malformed.refusal.code).toBe('invalid-code');
});

it('the services refuse staff of office A everything of office B', async () => {
  const staffA = keyed(s.keys.staff[OFFICE.id]!);
  await expect(loadDashboard(staffA, OTHER, new Date())).rejects.toThrow(ApiRefused);
  const delivery = await changeStock(staffA, OTHER, { kind: 'delivery', quantity: 5 });
  expect(!delivery.ok && delivery.refusal.status).toBe(403);
  const other = await loadDashboard(keyed(s.keys.staff[OTHER]!), OTHER, new Date());
  const counterB = other.points.find((p) => p.kind === 'counter')!;
  const made = await createCounterQr(staffA, counterB.id, { minor: 1500, currency: 'BYN' });
  expect(!made.ok && made.refusal.status).toBe(403);
  await expect(officesWithPoints(staffA)).rejects.toThrow(ApiRefused);
  await expect(stockOverview(staffA)).rejects.toThrow(ApiRefused);
});

it('admin sees every office with its points and the stock of all offices', async () => {
  const admin = keyed(s.keys.admin);
  const offices = await officesWithPoints(admin);
  expect(offices.map((o) => o.id)).toEqual(expect.arrayContaining([OFFICE.id, OTHER]));
  const overview = await stockOverview(admin);
  expect(overview.offices.find((o) => o.officeId === OFFICE.id)).toMatchObject({ lowStock: false });
});

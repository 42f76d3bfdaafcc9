import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@bfi/testing';
import type { DemoKeys } from '../src/demo-keys';
import { killGroup, ready, spawnNpm, suitePorts, type SuiteProcess } from './suite-process';

// `npm start` as a user meets it: one process, nothing installed but Node (PGlite, in-process
// transport, fake Stripe and PayPal). A gift paid on the fake Stripe page reaches the ledger
// totals, unlocks a reward and reconciles against the provider's statement; after a restart
// (SIGTERM, start again) everything is still there — in the suite and at the fake providers.
const dataDir = mkdtempSync(join(tmpdir(), 'bfi-embedded-'));
let running: SuiteProcess | undefined;
let env: Record<string, string>;
let urls: { web: string; payment: string; ledger: string; reward: string };

beforeAll(async () => {
  const ports = await suitePorts();
  env = { ...ports.env, DATA_DIR: dataDir, KAFKA_BROKERS: '' }; // embedded even with a broker
  const base = Number(ports.env.PORT);
  urls = {
    web: `http://127.0.0.1:${base + 3}`,
    payment: `http://127.0.0.1:${base}`,
    ledger: `http://127.0.0.1:${base + 1}`,
    reward: `http://127.0.0.1:${base + 2}`,
  };
});

afterAll(() => {
  if (running) killGroup(running);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<void> {
  running = spawnNpm(['start'], env);
  await ready(running);
}

async function stop(): Promise<number | null> {
  running!.child.kill('SIGTERM');
  return running!.exited;
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

async function donate(
  key: string,
): Promise<{ id: string; redirectUrl: string; donorSecret: string }> {
  const created = await json<{
    id: string;
    redirectUrl: string;
    status: string;
    donorSecret: string;
  }>(`${urls.payment}/donations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({
      amount: 2500,
      currency: 'BYN',
      provider: 'stripe',
      donorName: 'Anna',
    }),
  });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('pending');
  return created.body;
}

async function statusOf(id: string): Promise<string> {
  return (await json<{ status: string }>(`${urls.payment}/donations/${id}`)).body.status;
}

/** The donor presses "Pay" on the (fake) Stripe Checkout page; resolves once it succeeded. */
async function pay(donation: { id: string; redirectUrl: string }): Promise<void> {
  const res = await fetch(`${donation.redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toContain(`${urls.web}/thanks/${donation.id}`);
  await eventually(async () => expect(await statusOf(donation.id)).toBe('succeeded'));
}

const period = JSON.stringify({ from: '2020-01-01', to: '2100-01-01' });

test('a Stripe gift on the embedded suite shows in totals and unlocks a reward, and survives a restart', async () => {
  await start();
  const keys = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as DemoKeys;
  const gift = await donate('embedded-test-0001');
  await pay(gift);
  const id = gift.id;
  // The banner names the donor pages first; the provider's return lands on their thank-you page.
  expect(running!.output()).toMatch(
    new RegExp(`running[^\\n]*\\n\\n {2}Open the donor pages: ${urls.web}\\n`),
  );
  const thanks = await fetch(`${urls.web}/thanks/${id}`, { headers: { 'accept-language': 'en' } });
  expect(thanks.status).toBe(200);
  expect(await thanks.text()).toContain('Training specialists who treat victims of cyberbullying');
  await eventually(async () => {
    const totals = await json<{ raised: { currency: string; minor: number }[]; donors: number }>(
      `${urls.ledger}/campaign/totals`,
    );
    expect(totals.body.raised).toEqual([{ currency: 'BYN', minor: 2500 }]);
    expect(totals.body.donors).toBe(1);
  });
  const reward = await eventually(async () => {
    // The donor's device proves the secret it got with the donation.
    const r = await json<{ kind: string; claimCode: string }>(
      `${urls.reward}/rewards/by-donation/${id}`,
      { headers: { 'x-donor-secret': gift.donorSecret } },
    );
    expect(r.status).toBe(200);
    return r.body;
  });
  expect(reward.kind).toBe('digital-sticker-pack');
  expect(reward.claimCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const fundTotals = await json<unknown>(`${urls.ledger}/funds/specialist-training/totals`, {
    headers: { authorization: `Bearer ${keys.finance}` },
  });
  expect(fundTotals.status).toBe(200);
  expect(JSON.stringify(fundTotals.body)).toContain('2500');

  // Finance creates a fund on the ledger: payment takes gifts to it (learnt by event) at once.
  const fund = await json<unknown>(`${urls.ledger}/funds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.finance}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      slug: 'demo-new-fund',
      name: 'Demo',
      restricted: true,
      feePolicy: 'fund',
    }),
  });
  expect(fund.status).toBe(201);
  await eventually(async () => {
    const gift = await json<{ fund: string }>(`${urls.payment}/donations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `embedded-fund-${Date.now()}`,
      },
      body: JSON.stringify({
        amount: 1000,
        currency: 'BYN',
        provider: 'stripe',
        fund: 'demo-new-fund',
      }),
    });
    expect(gift.status).toBe(201);
  }, 5000);

  // A second donor opens the checkout page but pays only after the restart.
  const later = await donate('embedded-test-0002');
  expect((await fetch(later.redirectUrl)).status).toBe(200);

  expect(await stop()).toBe(0); // graceful shutdown
  await start();
  expect(JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8'))).toEqual(keys);
  expect(await statusOf(id)).toBe('succeeded');
  expect((await json<{ donors: number }>(`${urls.ledger}/campaign/totals`)).body.donors).toBe(1);
  expect(
    (
      await json<{ claimCode: string }>(`${urls.reward}/rewards/by-donation/${id}`, {
        headers: { 'x-donor-secret': gift.donorSecret },
      })
    ).body.claimCode,
  ).toBe(reward.claimCode);
  // The demo seed did not run twice: still exactly the two demo offices.
  const offices = await json<unknown[]>(`${urls.payment}/offices`, {
    headers: { authorization: `Bearer ${keys.admin}` },
  });
  expect(offices.body).toHaveLength(2);

  // The fake Stripe kept its state: the page opened before the restart still pays, and the gift
  // charged before it can be refunded.
  await pay(later);
  const refund = await fetch(`${urls.payment}/donations/${id}/refunds`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${keys.finance}`,
      'content-type': 'application/json',
      'idempotency-key': 'embedded-refund-0001',
    },
    body: '{}',
  });
  expect(refund.status).toBe(201);
  await eventually(async () => expect(await statusOf(id)).toBe('refunded'));
  expect(await stop()).toBe(0);
}, 400000);

test("finance imports the fake Stripe's statement and a reconciliation matches the gift", async () => {
  await start();
  const keys = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as DemoKeys;
  const headers = { authorization: `Bearer ${keys.finance}`, 'content-type': 'application/json' };
  const gift = await donate('embedded-test-0003');
  await pay(gift);
  const imported = await json<{ imported?: number }>(`${urls.ledger}/statements/import`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ provider: 'stripe', from: '2020-01-01', to: '2100-01-01' }),
  });
  expect(imported.status).toBe(200);
  const run = await eventually(async () => {
    const r = await json<{ id: string; status: string }>(`${urls.ledger}/reconciliation/runs`, {
      method: 'POST',
      headers,
      body: period,
    });
    expect(r.status).toBe(201);
    return r.body;
  });
  expect(run.status).toBe('completed');
  type Line = { type: string; status: string; detail: string } & Record<string, unknown>;
  const lines = await json<{ lines: Line[] }>(
    `${urls.ledger}/reconciliation/runs/${run.id}/lines?limit=1000`,
    { headers },
  );
  // The gift: the provider's gross and fee agree with the journal; the fake has not paid it out
  // to the bank yet, which is "in-transit" (matched, awaiting payout) — not a discrepancy.
  expect(lines.body.lines).toContainEqual(
    expect.objectContaining({
      type: 'payment',
      status: 'in-transit',
      detail: 'matched; not yet paid out to the bank',
      statementGross: 2500,
      ledgerGross: 2500,
      statementFee: 103,
      ledgerFee: 103,
    }),
  );
  const discrepancies = await json<{ lines: Line[] }>(
    `${urls.ledger}/reconciliation/runs/${run.id}/lines?discrepancies=true`,
    { headers },
  );
  expect(discrepancies.body.lines).toEqual([]);
  expect(await stop()).toBe(0);
}, 300000);

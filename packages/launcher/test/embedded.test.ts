import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@bfi/testing';
import type { DemoKeys } from '../src/demo-keys';

// `npm start` as a user meets it: one process, nothing installed but Node (PGlite, in-process
// transport, fake Stripe). A gift paid on the fake Stripe page reaches the ledger totals and
// unlocks a reward; after a restart (SIGTERM, start again) everything is still there.
const dataDir = mkdtempSync(join(tmpdir(), 'bfi-embedded-'));
const urls = {
  payment: 'http://127.0.0.1:23001',
  ledger: 'http://127.0.0.1:23002',
  reward: 'http://127.0.0.1:23003',
};
let running: ChildProcess | undefined;
let banner = '';

afterAll(async () => {
  if (running) await stop(running);
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '..', 'src', 'start.ts')],
    {
      env: {
        ...process.env,
        KAFKA_BROKERS: '', // the embedded default, even when the test run has a broker
        DATA_DIR: dataDir,
        PORT: '23001',
        EMBEDDED_PG_PORT: '25431',
        FAKE_STRIPE_PORT: '0',
        FAKE_PAYPAL_PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  running = child;
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      banner = out;
      if (out.includes('Ctrl+C stops everything')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

test('a Stripe gift on the embedded suite shows in totals and unlocks a reward, and survives a restart', async () => {
  let child = await start();
  const keys = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as DemoKeys;

  const created = await json<{ id: string; redirectUrl: string; status: string }>(
    `${urls.payment}/donations`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'embedded-test-0001' },
      body: JSON.stringify({
        amount: 2500,
        currency: 'BYN',
        provider: 'stripe',
        donorName: 'Anna',
      }),
    },
  );
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('pending');

  // The donor presses "Pay" on the (fake) Stripe Checkout page.
  const pay = await fetch(`${created.body.redirectUrl}/pay`, {
    method: 'POST',
    redirect: 'manual',
  });
  expect(pay.status).toBe(303);
  // The donor lands on the web's thank-you page, whose URL the banner printed first of all.
  expect(banner).toMatch(
    /running[^\n]*\n\n {2}Open the donor pages: http:\/\/127\.0\.0\.1:23004\n/,
  );
  const thanks = await fetch(new URL(pay.headers.get('location')!), {
    headers: { 'accept-language': 'en' },
  });
  expect(thanks.status).toBe(200);
  expect(await thanks.text()).toContain('Training specialists who treat victims of cyberbullying');

  const id = created.body.id;
  await eventually(async () => {
    expect((await json<{ status: string }>(`${urls.payment}/donations/${id}`)).body.status).toBe(
      'succeeded',
    );
  });
  await eventually(async () => {
    const totals = await json<{ raised: { currency: string; minor: number }[]; donors: number }>(
      `${urls.ledger}/campaign/totals`,
    );
    expect(totals.body.raised).toEqual([{ currency: 'BYN', minor: 2500 }]);
    expect(totals.body.donors).toBe(1);
  });
  const reward = await eventually(async () => {
    const r = await json<{ kind: string; claimCode: string }>(
      `${urls.reward}/rewards/by-donation/${id}`,
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

  expect(await stop(child)).toBe(0); // graceful shutdown
  child = await start();
  expect(JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8'))).toEqual(keys);
  expect((await json<{ status: string }>(`${urls.payment}/donations/${id}`)).body.status).toBe(
    'succeeded',
  );
  expect((await json<{ donors: number }>(`${urls.ledger}/campaign/totals`)).body.donors).toBe(1);
  expect(
    (await json<{ claimCode: string }>(`${urls.reward}/rewards/by-donation/${id}`)).body.claimCode,
  ).toBe(reward.claimCode);
  // The demo seed did not run twice: still exactly the two demo offices.
  const offices = await json<unknown[]>(`${urls.payment}/offices`, {
    headers: { authorization: `Bearer ${keys.admin}` },
  });
  expect(offices.body).toHaveLength(2);
}, 300000);

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@bfi/testing';
import {
  alive,
  descendants,
  killGroup,
  portFree,
  READY_LINE,
  ready,
  spawnNpm,
  suitePorts,
  type SuiteProcess,
} from './suite-process';

// `npm start` exactly as the README says, in its own data folder and on its own ports.
const dataDir = mkdtempSync(join(tmpdir(), 'bfi-newcomer-'));
let first: SuiteProcess;
let ports: Awaited<ReturnType<typeof suitePorts>>;
const spawned: SuiteProcess[] = [];

beforeAll(async () => {
  ports = await suitePorts();
  // The default log level, as a newcomer sees it.
  first = spawnNpm(['start'], { ...ports.env, DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  spawned.push(first);
  await ready(first);
}, 180000);

afterAll(() => {
  for (const s of spawned) killGroup(s);
  rmSync(dataDir, { recursive: true, force: true });
});

const paymentUrl = () => `http://127.0.0.1:${ports.env.PORT}`;

test('the banner is the last thing npm start prints and says how amounts, data and fakes work', async () => {
  const out = first.output();
  const banner = out.slice(out.indexOf(READY_LINE));
  expect(out.slice(0, out.indexOf(READY_LINE))).toContain('"msg":"listening"'); // logs came first
  expect(banner).not.toMatch(/^\{"level"/m); // no log line after it (the seed's requests are quiet)
  expect(banner).toContain('Amounts are integer minor units: "amount":2500 is 25.00 BYN.');
  expect(banner).toContain(`data in ${dataDir}`);
  expect(banner).toContain(`fake Stripe    http://127.0.0.1:${ports.env.FAKE_STRIPE_PORT}`);
  expect(banner).toContain('whsec_local_demo');
  expect(banner).toContain('/statements/import');
  const inbox = `http://127.0.0.1:${ports.env.MAIL_INBOX_PORT}`;
  expect(banner).toContain(`mail inbox     ${inbox}`);
  const page = await fetch(inbox);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Local inbox');
});

test('a second npm start on the same data folder is refused, names the holder and leaves the running suite its data', async () => {
  const created = await fetch(`${paymentUrl()}/donations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'newcomer-0001' },
    body: JSON.stringify({ amount: 2500, currency: 'BYN', provider: 'stripe', donorName: 'Anna' }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const lockBefore = readFileSync(join(dataDir, 'suite.lock'), 'utf8');

  const other = await suitePorts(); // other ports: only the folder is shared
  const second = spawnNpm(['start'], { ...other.env, DATA_DIR: dataDir });
  spawned.push(second);
  const code = await second.exited;
  expect(code).not.toBe(0);
  const holder = (JSON.parse(lockBefore) as { pid: number }).pid;
  expect(second.output()).toContain(`is in use by another npm start (pid ${holder})`);
  expect(second.output()).not.toContain('migrations applied');
  for (const port of other.all) expect(await portFree(port)).toBe(true);

  // The first suite still has everything, and still holds the folder.
  expect(readFileSync(join(dataDir, 'suite.lock'), 'utf8')).toBe(lockBefore);
  const res = await fetch(`${paymentUrl()}/donations/${id}`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe('pending');
  const idem = await fetch(`${paymentUrl()}/donations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'newcomer-0001' },
    body: JSON.stringify({ amount: 2500, currency: 'BYN', provider: 'stripe', donorName: 'Anna' }),
  });
  expect(((await idem.json()) as { id: string }).id).toBe(id); // the retry is not a new charge
});

test('one SIGTERM to the npm start process stops the whole embedded suite and frees every port', async () => {
  const pids = descendants(first.child.pid!);
  expect(pids.length).toBeGreaterThan(0);
  first.child.kill('SIGTERM'); // the npm process only, not its process group
  expect(await first.exited).toBe(0);
  await eventually(async () => {
    expect(pids.filter(alive)).toEqual([]);
    for (const port of ports.all) expect(await portFree(port)).toBe(true);
  }, 10000);
});

// Embedded path: `npm start` as a donor's laptop runs it (PGlite, in-process transport, the fake
// Stripe inside the same process), driven from outside like donors: POST /donations from one IP
// (127.0.0.1), then "Pay" on the fake's hosted page, which sends the signed webhooks itself; done
// when reward answers for the last donation. The launcher runs in its own process group, stopped
// (SIGTERM to the group) at the end. Its payment has the service's default rate limits (the
// launcher passes only *_RATE_LIMIT variables that are set), so an office's peak is measured on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { officePeak } from './office';
import type { Scale } from './pipeline';
import { freePortRange } from './spawner';
import type { Figure } from './table';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Launched {
  child: ChildProcess;
  payment: string;
  reward: string;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode})`);
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`npm start: ${url} not ready after ${timeoutMs / 1000} s`);
}

async function launch(dataDir: string): Promise<Launched> {
  const base = await freePortRange(5);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(base),
    EMBEDDED_PG_PORT: String(await freePortRange(3)),
    FAKE_STRIPE_PORT: '0',
    FAKE_PAYPAL_PORT: '0',
    FAKE_SMTP_PORT: '0',
    MAIL_INBOX_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  // Set by with-infra for the other paths; with them the launcher would start the real mode.
  for (const name of [
    'KAFKA_BROKERS',
    'PAYMENT_DATABASE_URL',
    'LEDGER_DATABASE_URL',
    'REWARD_DATABASE_URL',
  ])
    delete env[name];
  // BENCH_EMBEDDED_CPU_PROF=<dir>: a CPU profile of the suite process, written when it stops.
  const profile = process.env.BENCH_EMBEDDED_CPU_PROF;
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [];
  const args = [...profiling, '--import', 'tsx', 'services/suite/src/start.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'ignore', fs.openSync(path.join(dataDir, 'suite.log'), 'a')],
  });
  const launched = {
    child,
    payment: `http://127.0.0.1:${base}`,
    reward: `http://127.0.0.1:${base + 2}`,
  };
  try {
    await waitReady(launched.payment, child, 180_000);
    await waitReady(launched.reward, child, 60_000);
  } catch (err) {
    await stopGroup(child);
    throw err;
  }
  return launched;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
  await gone;
  clearTimeout(timer);
}

/** POST /donations as the donate page does, waiting out 429s as a browser retry would. */
async function donate(
  suite: Launched,
  counts: { limited: number },
): Promise<{ id: string; pay: string }> {
  const key = randomUUID();
  for (;;) {
    const res = await fetch(`${suite.payment}/donations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ amount: 2000, currency: 'BYN', provider: 'stripe' }),
    });
    if (res.status === 429) {
      counts.limited += 1;
      const wait = Number(res.headers.get('retry-after') ?? 1);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Math.max(1, wait) * 1000));
      continue;
    }
    const body = (await res.json()) as { id: string; redirectUrl: string };
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`POST /donations → ${res.status}`);
    return { id: body.id, pay: `${body.redirectUrl}/pay` };
  }
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function decided(suite: Launched, id: string): Promise<boolean> {
  const res = await fetch(`${suite.reward}/rewards/by-donation/${id}`);
  await res.arrayBuffer();
  return res.status === 200;
}

async function measure(suite: Launched, scale: Scale): Promise<Figure[]> {
  const n = scale.quick ? 100 : 600;
  const counts = { limited: 0 };
  const t0 = performance.now();
  const gifts: { id: string; pay: string }[] = [];
  await pool(
    Array.from({ length: n }, (_, i) => i),
    10,
    async () => {
      gifts.push(await donate(suite, counts));
    },
  );
  const created = n / ((performance.now() - t0) / 1000);
  scale.log(`embedded: ${n} donations created (${counts.limited} × 429); paying them`);
  const t1 = performance.now();
  await pool(gifts, 10, async (g) => {
    const res = await fetch(g.pay, { method: 'POST', redirect: 'manual' });
    await res.arrayBuffer();
  });
  const last = gifts[gifts.length - 1]!;
  const deadline = Date.now() + 300_000;
  while (!(await decided(suite, last.id)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
  }
  const rate = n / ((performance.now() - t1) / 1000);
  return [
    {
      path: 'embedded npm start: pipeline',
      value: rate,
      unit: 'donations/s',
      baseline: null,
      baselineValue: null,
      goal: '≥ 200 donations/s',
      note: `${n} gifts paid on the fake's hosted page 10 at a time, until reward answered for the last`,
    },
    {
      path: 'embedded npm start: POST /donations, one IP',
      value: created,
      unit: 'donations/s',
      baseline: null,
      baselineValue: null,
      goal: 'an office behind one address not throttled',
      note: `10 at a time, 429s waited out as told (Retry-After): ${counts.limited} × 429`,
    },
  ];
}

export async function benchEmbedded(scale: Scale): Promise<Figure[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-bench-embedded-'));
  try {
    scale.log('embedded: npm start (PGlite) in a fresh data folder');
    const suite = await launch(dataDir);
    // Its own process group does not see the bench's Ctrl-C: pass it on, then go.
    const interrupted = (signal: NodeJS.Signals) => {
      process.kill(-suite.child.pid!, 'SIGTERM');
      process.exit(128 + os.constants.signals[signal]);
    };
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    try {
      const figures = await measure(suite, scale);
      scale.log('embedded: an office behind one address, rising rate until the first 429');
      return [...figures, await officePeak(suite.payment, 'embedded npm start, default limits')];
    } finally {
      process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
      await stopGroup(suite.child);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

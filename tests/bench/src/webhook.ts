// Webhook path: distinct signed events answered per second by the payment process, against a
// bare express process answering the same POST on the same loopback setup, both driven by the
// same autocannon settings in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { deliver, type Gift } from './load';
import { freePort, type Suite } from './spawner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<Result>;

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

export const CONNECTIONS = 10;

/** `node --import tsx bare-express.ts PORT`, ready once it printed its port. */
async function startBareExpress(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'bare-express.ts'), String(port)],
    { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare express exited (${code})`)));
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('listening')) resolve();
    });
  });
  return { child, url: `http://127.0.0.1:${port}/webhooks/stripe` };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

/** Requests per second of the bare handler (one event's payload, re-sent). */
export async function bareExpressRate(
  suite: Suite,
  sample: Gift,
  seconds: number,
): Promise<number> {
  const bare = await startBareExpress();
  try {
    const { payload, signature } = suite.stripe.sign(sample.event);
    const r = await autocannon({
      url: bare.url,
      connections: CONNECTIONS,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    return r['2xx'] / r.duration;
  } finally {
    await stop(bare.child);
  }
}

export interface WebhookRun {
  startedAt: number;
  endedAt: number;
  answered2xx: number;
  other: number;
  /** Requests sent to the webhook endpoint, the redeliveries after the phase included. */
  deliveries: number;
}

/**
 * Every gift's event delivered once, CONNECTIONS at a time, each signed as it leaves; the
 * answers that are not 2xx are counted (and delivered again afterwards, so the pipeline phase
 * that follows sees every gift).
 */
export async function distinctEvents(suite: Suite, gifts: Gift[]): Promise<WebhookRun> {
  let next = 0;
  const failed: Gift[] = [];
  const startedAt = Date.now();
  const r = await autocannon({
    url: suite.stripe.webhookUrl!,
    connections: CONNECTIONS,
    amount: gifts.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: Record<string, unknown>) => {
          const gift = gifts[next++ % gifts.length]!;
          const { payload, signature } = suite.stripe.sign(gift.event);
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'stripe-signature': signature },
            body: payload,
          };
        },
      },
    ],
  });
  const endedAt = Date.now();
  const sent = r['2xx'] + r.non2xx + r.errors + r.timeouts;
  let redelivered = 0;
  if (sent > r['2xx']) {
    // Which ones failed autocannon does not say: deliver all once more (duplicates are no-ops).
    for (const g of gifts) if ((await deliver(suite, g)) !== '2xx') failed.push(g);
    redelivered = gifts.length;
  }
  return {
    startedAt,
    endedAt,
    answered2xx: r['2xx'],
    other: sent - r['2xx'] + failed.length,
    deliveries: sent + redelivered,
  };
}

// An office's peak: many donors behind one address (an MTS office's network, a carrier NAT), each
// with their own gift and Idempotency-Key, at a rising rate until the first 429. The address is
// a fresh documentation address (203.0.113.0/24) in X-Forwarded-For, which payment trusts from
// loopback as from an ingress (TRUST_PROXY's default), so its rate-limit window starts empty
// whatever the run did before from 127.0.0.1; the limits are the service's own defaults.
import { randomUUID } from 'node:crypto';
import type { Figure } from './table';

/** Offered rate: 5/s, doubled every 10 s, for at most a minute (the limits' window). */
const START_RATE = 5;
const STEP_MS = 10_000;
const WINDOW_MS = 60_000;
/** Requests in flight at most: past that the service is the limit, not the rate limiter. */
const IN_FLIGHT = 64;

export const OFFICE_GOAL = '≥ 100 donations/min from one address';

interface Ramp {
  accepted: number;
  other: Record<string, number>;
  firstLimitedAt: number | null;
  policy: string | null;
  /** The first answer's RateLimit header: a fresh window shows the whole budget left. */
  firstRemaining: string | null;
  skipped: number;
  lastRate: number;
  endedAt: number;
  startedAt: number;
}

async function oneGift(paymentUrl: string, address: string, ramp: Ramp): Promise<void> {
  try {
    const res = await fetch(`${paymentUrl}/donations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
        'x-forwarded-for': address,
      },
      body: JSON.stringify({ amount: 2000, currency: 'BYN', provider: 'stripe' }),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    ramp.firstRemaining ??= res.headers.get('ratelimit');
    if (res.status === 201 || res.status === 200) ramp.accepted += 1;
    else ramp.other[res.status] = (ramp.other[res.status] ?? 0) + 1;
    if (res.status === 429 && ramp.firstLimitedAt === null) {
      ramp.firstLimitedAt = Date.now();
      ramp.policy = res.headers.get('ratelimit-policy');
    }
  } catch {
    ramp.other.error = (ramp.other.error ?? 0) + 1;
  }
}

/** Open loop at the rising rate until the first 429 or the minute is over. */
async function rampUp(paymentUrl: string, address: string): Promise<Ramp> {
  const ramp: Ramp = {
    accepted: 0,
    other: {},
    firstLimitedAt: null,
    policy: null,
    firstRemaining: null,
    skipped: 0,
    lastRate: START_RATE,
    startedAt: Date.now(),
    endedAt: 0,
  };
  const pending = new Set<Promise<void>>();
  let due = ramp.startedAt;
  while (ramp.firstLimitedAt === null && due - ramp.startedAt < WINDOW_MS) {
    ramp.lastRate = START_RATE * 2 ** Math.floor((due - ramp.startedAt) / STEP_MS);
    due += 1000 / ramp.lastRate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (pending.size >= IN_FLIGHT) {
      ramp.skipped += 1;
      continue;
    }
    const p = oneGift(paymentUrl, address, ramp);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }
  ramp.endedAt = Date.now();
  await Promise.all([...pending]);
  return ramp;
}

/** The figure: gifts accepted from one address in its first minute (the limits' window). */
export async function officePeak(paymentUrl: string, where: string): Promise<Figure> {
  const address = `203.0.113.${1 + Math.floor(Math.random() * 254)}`;
  const ramp = await rampUp(paymentUrl, address);
  const seconds = ((ramp.firstLimitedAt ?? ramp.endedAt) - ramp.startedAt) / 1000;
  const others = Object.entries(ramp.other)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const how = `${where}; one address (X-Forwarded-For ${address}), a new Idempotency-Key per gift, ${START_RATE}/s doubled every ${STEP_MS / 1000} s (open loop, ≤ ${IN_FLIGHT} in flight)`;
  const end =
    ramp.firstLimitedAt === null
      ? `no 429 in the minute (offered up to ${ramp.lastRate}/s${ramp.skipped ? `, ${ramp.skipped} not sent: ${IN_FLIGHT} in flight` : ''})`
      : `first 429 after ${seconds.toFixed(1)} s at ${ramp.lastRate}/s offered (RateLimit-Policy: ${ramp.policy ?? 'none'}; first answer's RateLimit: ${ramp.firstRemaining ?? 'none'})`;
  return {
    path: 'rate limit: an office behind one address',
    value: ramp.accepted,
    unit: 'donations/min',
    baseline: null,
    baselineValue: null,
    goal: OFFICE_GOAL,
    note: `${how}: ${end}; accepted ${ramp.accepted} in its first minute${others ? `, others ${others}` : ''}`,
  };
}

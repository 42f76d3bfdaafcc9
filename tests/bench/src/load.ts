// Load on the payment service's webhook endpoint, as Stripe makes it: each gift's
// payment_intent.succeeded signed with the endpoint secret (Stripe SDK's
// generateTestHeaderString, through the fake) at the moment it is sent.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Suite } from './spawner';

/** A paid checkout whose webhook has not been delivered yet. */
export interface Gift {
  donationId: string;
  event: Parameters<Suite['stripe']['sign']>[0];
}

interface DonationReply {
  id: string;
  providerRefs: { checkoutSessionId: string };
}

/**
 * POST /donations as a donor's browser does it: a 5xx, 409 (in progress) or 429 is sent again
 * with the same Idempotency-Key (the problem says to try again; nothing is created twice) after
 * 1, 2, 4… s, five times at most — preparing gifts is not what the bench measures.
 */
async function createDonation(suite: Suite, amount: number): Promise<Response> {
  const key = randomUUID();
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${suite.payment.url}/donations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ amount, currency: 'BYN', provider: 'stripe' }),
      signal: AbortSignal.timeout(60_000),
    });
    if (res.status === 201 || res.status === 200) return res;
    const again = res.status >= 500 || res.status === 409 || res.status === 429;
    if (!again || attempt >= 5) {
      throw new Error(`bench: POST /donations answered ${res.status}: ${await res.text()}`);
    }
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
  }
}

async function oneGift(suite: Suite, amount: number): Promise<Gift> {
  const res = await createDonation(suite, amount);
  const body = (await res.json()) as DonationReply;
  const events = await suite.stripe.pay(body.providerRefs.checkoutSessionId, { deliver: false });
  const event = events.find((e) => e.type === 'payment_intent.succeeded');
  if (!event) throw new Error('bench: the fake Stripe sent no payment_intent.succeeded');
  return { donationId: body.id, event };
}

/**
 * n donations created through POST /donations and paid at the fake Stripe (webhooks held back),
 * 20 at a time. Amounts above the reward minimum, so every gift goes the whole way.
 */
export async function prepareGifts(suite: Suite, n: number): Promise<Gift[]> {
  const gifts: Gift[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < n) {
        next += 1;
        gifts.push(await oneGift(suite, 1500 + (next % 40) * 50));
      }
    }),
  );
  return gifts;
}

/** The answer's class: "2xx", the status for others, "timeout" or "connection error". */
export async function deliver(suite: Suite, gift: Gift, timeoutMs = 10_000): Promise<string> {
  return (await deliverWatched(suite, gift, timeoutMs)).cls;
}

/**
 * One delivery; `afterProviderCall` when the answer is a 5xx and the payment service called the
 * fake Stripe about this payment while handling it (a side effect the answer then disowns).
 */
export async function deliverWatched(
  suite: Suite,
  gift: Gift,
  timeoutMs = 10_000,
): Promise<{ cls: string; afterProviderCall: boolean }> {
  const callsBefore = suite.stripe.calls.length;
  const cls = await post(suite, gift, timeoutMs);
  const intentId = (gift.event.data.object as { id: string }).id;
  const afterProviderCall =
    cls.startsWith('5') &&
    suite.stripe.calls.slice(callsBefore).some((c) => c.path.includes(intentId));
  return { cls, afterProviderCall };
}

async function post(suite: Suite, gift: Gift, timeoutMs: number): Promise<string> {
  const { payload, signature } = suite.stripe.sign(gift.event);
  try {
    const res = await fetch(suite.stripe.webhookUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 300 ? '2xx' : String(res.status);
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection error';
  }
}

export interface Offered {
  /** When each gift's first delivery was sent (ms since the epoch). */
  sentAt: Map<string, number>;
  /** Answers by class, redeliveries included. */
  classes: Record<string, number>;
  deliveries: number;
  /** 5xx answers given after the service had called the provider about that payment. */
  fiveXxAfterProviderCall: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Open loop: gift i is sent at start + i / rate whatever the answers so far (donors do not wait
 * for each other). With redeliverUntil, a non-2xx answer is delivered again after 1, 2, 4 … 8 s,
 * as Stripe retries, until that moment.
 */
export async function offer(
  suite: Suite,
  gifts: Gift[],
  rate: number,
  redeliverUntil?: number,
): Promise<Offered> {
  const out: Offered = {
    sentAt: new Map(),
    classes: {},
    deliveries: 0,
    fiveXxAfterProviderCall: 0,
    startedAt: Date.now(),
    endedAt: 0,
  };
  const pending = new Set<Promise<void>>();
  const send = (gift: Gift, attempt: number): void => {
    out.deliveries += 1;
    const p = deliverWatched(suite, gift).then(({ cls, afterProviderCall }) => {
      if (afterProviderCall) out.fiveXxAfterProviderCall += 1;
      out.classes[cls] = (out.classes[cls] ?? 0) + 1;
      const wait = Math.min(8000, 1000 * 2 ** attempt);
      if (cls !== '2xx' && redeliverUntil && Date.now() + wait < redeliverUntil) {
        const timer = new Promise<void>((r) => setTimeout(r, wait)).then(() =>
          send(gift, attempt + 1),
        );
        track(timer);
      }
    });
    track(p);
  };
  const track = (p: Promise<void>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  for (let i = 0; i < gifts.length; i++) {
    const due = out.startedAt + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    out.sentAt.set(gifts[i]!.donationId, Date.now());
    send(gifts[i]!, 0);
  }
  out.endedAt = Date.now();
  while (pending.size > 0) await Promise.all([...pending]);
  return out;
}

export async function withDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** When the reward service decided each of these donations (ms since the epoch). */
export async function decidedAt(suite: Suite, ids: string[]): Promise<Map<string, number>> {
  return withDb(suite.databases.reward, async (c) => {
    const { rows } = await c.query<{ id: string; at: Date }>(
      'SELECT donation_id AS id, decided_at AS at FROM decision WHERE donation_id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.at.getTime()]));
  });
}

/** Polls until every donation is decided or `timeoutMs` passes; returns the decisions seen. */
export async function waitDecided(
  suite: Suite,
  ids: string[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await decidedAt(suite, ids);
    if (seen.size >= ids.length || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

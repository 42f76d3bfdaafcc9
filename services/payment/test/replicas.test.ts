// Production runs several payment replicas behind one Service: Stripe's webhook lands on one of
// them while the office console's and the thank-you page's streams are held by another. Both
// must see the gift paid, once.
import { eventually } from '@bfi/testing';
import { idemKey, openWorld, type World } from './harness';

let w: World;
let replicaB: string;
let posterToken: string;

beforeAll(async () => {
  w = await openWorld();
  replicaB = (await w.replica()).base;
  expect(
    (await w.api('POST', '/offices', { body: { id: 'office-a', name: 'MTS Minsk' }, key: 'admin' }))
      .status,
  ).toBe(201);
  const point = await w.api('POST', '/offices/office-a/points', {
    body: { label: 'Entrance poster' },
    key: 'admin',
  });
  posterToken = new URL(point.body.posterUrl).searchParams.get('point')!;
});
afterAll(async () => {
  await w?.close();
});

interface StatusEvent {
  id: string;
  status: string;
  officeId: string | null;
  [field: string]: unknown;
}

/** Opens an SSE stream and collects its `status` events until closed. */
async function listen(url: string, key?: string) {
  const controller = new AbortController();
  const res = await fetch(url, {
    signal: controller.signal,
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: StatusEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: status') && data) events.push(JSON.parse(data.slice(6)));
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, close: () => controller.abort() };
}

test('streams on another replica see a gift paid through this one, once', async () => {
  const gift = await w.api('POST', '/donations', {
    body: { amount: 4000, currency: 'BYN', provider: 'stripe', pointToken: posterToken },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(gift.status).toBe(201);
  const id = gift.body.id as string;

  // The office console and the thank-you page are connected to replica B...
  const office = await listen(`${replicaB}/offices/office-a/events`, 'key-staff-a-0001');
  const thanks = await listen(`${replicaB}/donations/${id}/events`);
  // ...and a second thank-you page to replica A, which will take the webhook.
  const local = await listen(`${w.base}/donations/${id}/events`);
  await eventually(() => expect(thanks.events.map((e) => e.status)).toEqual(['pending']));

  // Stripe delivers the webhooks to replica A only.
  expect(w.stripe.webhookUrl?.startsWith(w.base)).toBe(true);
  await w.stripe.pay(gift.body.providerRefs.checkoutSessionId);

  // Every stream ends on the paid state the database holds (with its fee), wherever it is held.
  const paid = (await w.api('GET', `/donations/${id}`)).body;
  expect(paid).toMatchObject({ status: 'succeeded', fee: { currency: 'BYN' } });
  const ofGift = (events: StatusEvent[]) => events.filter((e) => e.id === id);
  await eventually(() => {
    for (const stream of [office, thanks, local])
      expect(ofGift(stream.events).at(-1)).toEqual(paid);
  }, 15_000);
  // Replica A sent each change at commit and its change feed brings them again; no stream may
  // get one state twice. Wait past a few polls before counting.
  await new Promise((r) => setTimeout(r, 2500));
  for (const stream of [office, thanks, local]) {
    const states = ofGift(stream.events).map((e) => JSON.stringify(e));
    expect(new Set(states).size).toBe(states.length);
  }
  // The thank-you pages opened on the pending gift (the state each stream starts with).
  for (const stream of [thanks, local])
    expect(ofGift(stream.events)[0]).toMatchObject({ status: 'pending' });
  expect(office.events.every((e) => e.officeId === 'office-a')).toBe(true);
  for (const s of [office, thanks, local]) s.close();
});

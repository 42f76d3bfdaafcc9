// Group commit of the inbox insert (issue #14): deliveries that arrive while an insert is in
// flight are written together in one statement, and each request is answered by what happened to
// ITS row — stored, duplicate (stored before, or an earlier copy in the same group), or, when the
// group's insert fails, an error for every one of them with nothing stored.
import { randomUUID } from 'node:crypto';
import { eventually } from '@bfi/testing';
import { DeliveryGroupWriter, type NewDelivery } from '../src/db/webhook-inbox-group';
import { idemKey, openWorld, postSignedStripe, type World } from './harness';

let w: World;
beforeAll(async () => {
  // Every delivery goes through the group path (none applied inside its request).
  w = await openWorld({ WEBHOOK_INLINE_SLOTS: '0' });
});
afterAll(async () => {
  await w?.close();
});

const delivery = (eventId: string, rawBody = '{}'): NewDelivery => ({
  provider: 'stripe',
  eventId,
  type: 'payment_intent.succeeded',
  rawBody,
});

const rowsOf = (ids: string[]) =>
  w.db.webhookDelivery.findMany({ where: { providerEventId: { in: ids } } });

describe('the inbox insert is group-committed', () => {
  it('arrivals during an insert go in one statement; duplicates in the group and of earlier rows answer duplicate; one row each', async () => {
    const writer = new DeliveryGroupWriter(w.db);
    const before = `evt_${randomUUID()}`;
    expect(await writer.store(delivery(before))).toBe('stored');

    const ids = Array.from({ length: 12 }, () => `evt_${randomUUID()}`);
    // All in the same tick: the first starts an insert, the rest wait for it and form one group.
    const results = await Promise.all([
      ...ids.map((id) => writer.store(delivery(id))),
      writer.store(delivery(ids[3]!)), // a copy in the same group
      writer.store(delivery(ids[7]!)),
      writer.store(delivery(before)), // stored by an earlier group
    ]);
    expect(results.slice(0, ids.length)).toEqual(ids.map(() => 'stored'));
    expect(results.slice(ids.length)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    const rows = await rowsOf([...ids, before]);
    expect(rows).toHaveLength(ids.length + 1);
    expect(rows.every((r) => r.state === 'received' && r.claimedUntil === null)).toBe(true);
    // At most two statements for the twelve (the first may go alone while the rest wait for it):
    // each row's xmin is the id of the transaction that wrote it.
    const written = await w.db.$queryRawUnsafe<{ tx: string; n: number }[]>(
      `SELECT xmin::text AS tx, count(*)::int AS n FROM webhook_delivery
       WHERE provider_event_id = ANY($1::text[]) GROUP BY 1 ORDER BY 2`,
      ids,
    );
    expect(written.length).toBeLessThanOrEqual(2);
    expect(written.reduce((sum, r) => sum + r.n, 0)).toBe(ids.length);
    expect(writer.backlog).toBe(0);
  });

  it('a failed insert fails every request of its group and stores none of them', async () => {
    const writer = new DeliveryGroupWriter(w.db);
    const ids = Array.from({ length: 6 }, () => `evt_${randomUUID()}`);
    const lead = writer.store(delivery(`evt_${randomUUID()}`));
    // PostgreSQL refuses a NUL in text: the whole statement of this group fails.
    const group = ids.map((id, i) => writer.store(delivery(id, i === 2 ? '{"a":"\u0000"}' : '{}')));
    await lead;
    const settled = await Promise.allSettled(group);
    expect(settled.map((s) => s.status)).toEqual(ids.map(() => 'rejected'));
    expect(await rowsOf(ids)).toHaveLength(0);
    // The writer goes on: the next group is written.
    expect(await writer.store(delivery(ids[0]!))).toBe('stored');
  });
});

describe('many concurrent webhooks through the group path', () => {
  it('each answered 200 queued once per event, every copy after the first duplicate; one row each; every donation succeeds', async () => {
    const gifts = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await w.api('POST', '/donations', {
          body: { amount: 1500, currency: 'EUR', provider: 'stripe' },
          headers: { 'idempotency-key': idemKey() },
        });
        expect(res.status).toBe(201);
        const paid = await w.stripe.pay(res.body.providerRefs.checkoutSessionId, {
          deliver: false,
        });
        const event = paid.find((e) => e.type === 'payment_intent.succeeded')!;
        return { id: res.body.id as string, event };
      }),
    );
    // Each event twice, all at once (Stripe retrying while the first copy is in flight).
    const sends = [...gifts, ...gifts].map(async (g) => {
      const res = await postSignedStripe(w, JSON.stringify(g.event));
      expect(res.status).toBe(200);
      return { eventId: g.event.id, outcome: ((await res.json()) as { outcome: string }).outcome };
    });
    const answers = await Promise.all(sends);
    for (const g of gifts) {
      const mine = answers.filter((a) => a.eventId === g.event.id).map((a) => a.outcome);
      expect(mine.sort()).toEqual(['duplicate', 'queued']);
    }
    expect(await rowsOf(gifts.map((g) => g.event.id))).toHaveLength(gifts.length);
    await eventually(async () => {
      for (const g of gifts)
        expect((await w.api('GET', `/donations/${g.id}`)).body.status).toBe('succeeded');
    });
  });
});

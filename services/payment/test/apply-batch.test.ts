// Set-based apply (issue #14): the same stored deliveries through the applier's batch and through
// the per-delivery path end in the same donations, refunds, disputes, receipt numbers, mails,
// outbox events and delivery states; two batches racing on overlapping rows apply each once.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { applyStoredBatch } from '../src/app/stored-batch';
import { applyStoredDelivery } from '../src/app/webhook-inbox';
import { storeDelivery, type StoredDelivery } from '../src/db/webhook-inbox';
import { idemKey, openWorld, type World } from './harness';

type Event = { id: string; type: string; data: { object: Record<string, unknown> } };

let batchWorld: World;
let oneWorld: World;
beforeAll(async () => {
  const fakes = { stripe: { autoRefundWebhooks: false } };
  [batchWorld, oneWorld] = await Promise.all([openWorld({}, fakes), openWorld({}, fakes)]);
});
afterAll(async () => {
  await Promise.all([batchWorld?.close(), oneWorld?.close()]);
});

async function donate(w: World, amount: number) {
  const res = await w.api('POST', '/donations', {
    body: { amount, currency: 'EUR', provider: 'stripe', donorEmail: 'donor@example.com' },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return {
    id: res.body.id as string,
    sessionId: res.body.providerRefs.checkoutSessionId as string,
  };
}

/** Refund and dispute of a paid session, made at the fake, their events not delivered. */
async function refundEvent(w: World, sessionId: string, amount: number): Promise<Event> {
  const intentId = w.stripe.sessions.get(sessionId)!.payment_intent as string;
  const sdk = new Stripe('sk_test_payment', w.stripe.sdkOptions());
  await sdk.refunds.create({ payment_intent: intentId, amount });
  const chargeId = w.stripe.paymentIntents.get(intentId)!.latest_charge as string;
  return w.stripe.event('charge.refunded', w.stripe.charges.get(chargeId)!) as unknown as Event;
}

/**
 * The mixed scenario, in arrival order: a success confirmed twice, a refund before its payment,
 * a payment then its dispute, a payment with a partial refund, and a donation we do not know.
 */
async function scenario(w: World): Promise<{ ids: string[]; events: Event[] }> {
  const gifts = [
    await donate(w, 2000),
    await donate(w, 3000),
    await donate(w, 4000),
    await donate(w, 5000),
  ];
  const paid: Event[][] = [];
  for (const g of gifts)
    paid.push((await w.stripe.pay(g.sessionId, { deliver: false })) as unknown as Event[]);
  const early = await refundEvent(w, gifts[1]!.sessionId, 3000);
  const intent2 = w.stripe.sessions.get(gifts[2]!.sessionId)!.payment_intent as string;
  const disputed = (await w.stripe.openDispute(intent2, { deliver: false })) as unknown as Event;
  const partial = await refundEvent(w, gifts[3]!.sessionId, 1200);
  const session = paid[0]![0]!.data.object;
  const stranger = w.stripe.event('checkout.session.completed', {
    ...session,
    id: `cs_unknown_${randomUUID()}`,
    client_reference_id: randomUUID(),
    metadata: { donationId: randomUUID() },
  } as never) as unknown as Event;
  const events = [
    ...paid[0]!,
    early,
    ...paid[1]!,
    ...paid[2]!,
    disputed,
    ...paid[3]!,
    partial,
    stranger,
  ];
  return { ids: gifts.map((g) => g.id), events };
}

async function store(w: World, events: Event[]): Promise<StoredDelivery[]> {
  const rows: StoredDelivery[] = [];
  for (const e of events) {
    const d = {
      provider: 'stripe' as const,
      eventId: e.id,
      type: e.type,
      rawBody: JSON.stringify(e),
    };
    // Claimed for the test: the service's own applier leaves these rows alone.
    const id = (await storeDelivery(w.db, d, 600_000))!;
    rows.push({ id, ...d, attempts: 0, receivedAt: new Date() });
  }
  return rows;
}

/** The per-delivery path over rows, in order, until none is left (a refund waits one round). */
async function oneByOne(w: World, rows: StoredDelivery[]): Promise<void> {
  let left = rows;
  for (let round = 0; round < 3 && left.length > 0; round++) {
    for (const row of left) await applyStoredDelivery(w.service.deps, row).catch(() => undefined);
    const open = await w.db.webhookDelivery.findMany({ where: { state: 'received' } });
    left = left.filter((r) => open.some((o) => o.id === r.id));
  }
  expect(left).toEqual([]);
}

/** Everything the apply wrote, with donation ids replaced by their place in the scenario. */
async function written(w: World, ids: string[], events: Event[]) {
  const at = (id: string | null) => (id ? ids.indexOf(id) : null);
  const donations = await w.db.donation.findMany({ where: { id: { in: ids } } });
  const outbox = await w.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  const deliveries = await w.db.webhookDelivery.findMany();
  const strip = (p: Record<string, unknown>) => {
    const {
      id: _i,
      time: _t,
      traceparent: _p,
      data,
      ...rest
    } = p as { data: Record<string, unknown> } & Record<string, unknown>;
    const {
      occurredAt: _o,
      donorSecretHash: _h,
      donationId: _d,
      providerRefs: _r,
      refundId: _f,
      disputeId: _x,
      ...keep
    } = data;
    return { ...rest, subject: at(rest.subject as string), data: keep };
  };
  return {
    donations: ids.map((id) => {
      const d = donations.find((x) => x.id === id)!;
      return [
        d.status,
        d.refundedMinor,
        d.disputeStatus,
        d.feeMinor,
        d.failureReason,
        Boolean(d.receiptNumber),
      ];
    }),
    receipts: donations.map((d) => d.receiptNumber).sort(),
    refunds: (await w.db.refund.findMany())
      .map((r) => [at(r.donationId), r.amountMinor, r.reason])
      .sort(),
    disputes: (await w.db.dispute.findMany()).map((d) => [
      at(d.donationId),
      d.amountMinor,
      d.status,
    ]),
    mails: (await w.db.receiptMail.findMany()).map((m) => [at(m.donationId), m.status]).sort(),
    outbox: ids.map((id) =>
      outbox.filter((o) => o.key === id).map((o) => strip(JSON.parse(o.payload))),
    ),
    deliveries: events.map((e) => {
      const d = deliveries.find((x) => x.providerEventId === e.id)!;
      return [d.state, d.outcome, at(d.donationId)];
    }),
  };
}

it('the batch and the per-delivery path write the same', async () => {
  const [a, b] = await Promise.all([scenario(batchWorld), scenario(oneWorld)]);
  const rowsA = await store(batchWorld, a.events);
  const rest = await applyStoredBatch(batchWorld.service.deps, rowsA);
  // The refund before its payment, that payment's own events and the stranger go one by one.
  expect(rest.map((r) => r.eventId)).toEqual(
    [a.events[2]!, a.events[3]!, a.events[4]!, a.events.at(-1)!].map((e) => e.id),
  );
  await oneByOne(batchWorld, rest);
  await oneByOne(oneWorld, await store(oneWorld, b.events));
  const [wa, wb] = await Promise.all([
    written(batchWorld, a.ids, a.events),
    written(oneWorld, b.ids, b.events),
  ]);
  expect(wa).toEqual(wb);
  expect(wa.donations.map((d) => d[0])).toEqual([
    'succeeded',
    'refunded',
    'succeeded',
    'partially_refunded',
  ]);
  expect(wa.receipts.filter(Boolean)).toHaveLength(4);
  expect(wa.deliveries.at(-1)).toEqual(['ignored', 'ignored: no such donation here', null]);
});

it('two batches racing on overlapping rows apply each delivery once', async () => {
  const w = batchWorld;
  const gifts = [await donate(w, 1100), await donate(w, 1200), await donate(w, 1300)];
  const events: Event[] = [];
  for (const g of gifts)
    events.push(...((await w.stripe.pay(g.sessionId, { deliver: false })) as unknown as Event[]));
  const rows = await store(w, events);
  const before = await w.db.receiptCounter.findMany();
  const runs = await Promise.allSettled([
    applyStoredBatch(w.service.deps, rows.slice(0, 4)),
    applyStoredBatch(w.service.deps, rows.slice(2)),
  ]);
  // A batch that lost the race rolled back whole; its rows go one by one (then duplicates).
  for (const r of runs)
    if (r.status === 'rejected') await oneByOne(w, rows);
    else await oneByOne(w, r.value);
  await oneByOne(w, rows);
  for (const g of gifts) {
    const succeeded = (
      await w.db.outboxEvent.findMany({ where: { key: g.id, type: 'payment.succeeded.v1' } })
    ).length;
    expect(succeeded).toBe(1);
  }
  const after = await w.db.receiptCounter.findMany();
  expect(after[0]!.last - (before[0]?.last ?? 0)).toBe(3);
  expect(
    await w.db.webhookDelivery.count({
      where: { id: { in: rows.map((r) => r.id) }, state: 'applied' },
    }),
  ).toBe(6);
});

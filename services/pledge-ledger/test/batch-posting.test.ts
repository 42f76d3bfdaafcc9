import { randomUUID } from 'node:crypto';
import type { AnyEvent } from '@bfi/events';
import { PermanentEventError } from '@bfi/messaging';
import type { TestDatabase } from '@bfi/db';
import { register, type Counter } from 'prom-client';
import type { Db } from '../src/db/client';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import { applyPaymentEvents } from '../src/ledger/app/apply-payment-batch';
import { fundTotals } from '../src/ledger/db/totals-repo';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { DonationEvents, money, openDb, openWorld, unbalancedEntries } from './helpers';

// A consumer chunk applied set-based (applyPaymentEvents, one transaction) must post exactly
// what one transaction per event posts (applyPaymentEvent): the same entries, donations,
// disputes, parked events, ledger events and totals, on the same input.

let perEvent: { database: TestDatabase; db: Db };
let setBased: { database: TestDatabase; db: Db };

beforeAll(async () => {
  perEvent = await openDb('ledger_batch_a');
  setBased = await openDb('ledger_batch_b');
});

afterAll(async () => {
  for (const side of [perEvent, setBased]) {
    await side.db.$disconnect();
    await side.database.drop();
  }
});

async function onePerTransaction(db: Db, events: AnyEvent[]): Promise<void> {
  for (const event of events) {
    try {
      await db.$transaction((tx) =>
        applyPaymentEvent(tx, event as PaymentEvent, { namespace: 'batch.' }),
      );
    } catch (err) {
      if (!(err instanceof PermanentEventError)) throw err;
    }
  }
}

async function asOneChunk(db: Db, events: AnyEvent[]) {
  return db.$transaction((tx) =>
    applyPaymentEvents(tx, events as PaymentEvent[], { namespace: 'batch.' }),
  );
}

/** What an auditor compares: every entry with its lines, donations, disputes, parked, outbox. */
async function ledgerOf(db: Db) {
  const entries = await db.$queryRaw<unknown[]>`
    SELECT e.idempotency_key, e.kind, e.donation_id::text, e.fund, e.source_event_id::text,
           e.description, e.occurred_at,
           json_agg(json_build_object('account', l.account, 'amount', l.amount_minor::text)
                    ORDER BY l.line_no) AS lines
    FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    GROUP BY e.id ORDER BY e.idempotency_key`;
  const donations = await db.$queryRaw<unknown[]>`
    SELECT id::text, fund, channel, office_id, provider, currency, gross_minor::text,
           refunded_minor::text, held_minor::text, lost_minor::text, provider_ref, occurred_at,
           subscription_id::text, installment
    FROM ledger_donation ORDER BY id`;
  const disputes = await db.$queryRaw<unknown[]>`
    SELECT id, donation_id::text, amount_minor::text, status FROM ledger_dispute ORDER BY id`;
  const parked = await db.$queryRaw<unknown[]>`
    SELECT event_id::text, reason, refused_at IS NULL AS waiting FROM parked_event ORDER BY event_id`;
  const outbox = await db.$queryRaw<{ key: string; type: string; payload: string }[]>`
    SELECT key, type, payload FROM outbox_event ORDER BY seq`;
  // Per key (donation), the ledger events in the order the relay sends them.
  const announced: Record<string, unknown[]> = {};
  for (const row of outbox) {
    const { data } = JSON.parse(row.payload) as { data: Record<string, unknown> };
    const { journalEntryId: _entryId, ...rest } = data;
    (announced[row.key] ??= []).push({ type: row.type, ...rest });
  }
  const totals = await fundTotals(db, { fund: 'specialist-training', groupBy: 'currency' });
  return { entries, donations, disputes, parked, announced, totals };
}

async function expectSameLedger() {
  const [a, b] = await Promise.all([ledgerOf(perEvent.db), ledgerOf(setBased.db)]);
  expect(b).toEqual(a);
  expect(await unbalancedEntries(setBased.db)).toEqual([]);
  return b;
}

it('a chunk with several events of one donation posts what one transaction per event posts', async () => {
  const a = new DonationEvents({ gross: money(10_000), fee: money(290) });
  const b = new DonationEvents({ gross: money(5_000), channel: 'office' });
  const c = new DonationEvents({ gross: money(7_000, 'USD'), fee: money(200, 'USD') });
  const refund = a.refunded('re_a1', 1_500, 1_500);
  const chunk = [
    a.succeeded(),
    b.succeeded(),
    refund,
    c.succeeded(),
    a.disputed('dp_a1', 3_000),
    b.refunded('re_b1', 5_000, 5_000),
    a.disputeClosed('dp_a1', 3_000, 'lost'),
    c.disputed('dp_c1', 7_000),
    { ...refund, id: randomUUID() }, // the same refund again under another event id
    a.refunded('re_a2', 5_500, 7_000), // exactly what is left after refund and lost dispute
    c.disputeClosed('dp_c1', 7_000, 'won'),
    a.succeeded(), // the same payment again
  ];
  await onePerTransaction(perEvent.db, chunk);
  const result = await asOneChunk(setBased.db, chunk);
  expect(result).toEqual({ posted: 10, perEvent: 0 });
  const ledger = await expectSameLedger();
  expect(ledger.entries).toHaveLength(12); // 10 postings, 2 of them with a fee entry
});

it('a refund before its payment in the same chunk is parked and applied as one transaction per event does', async () => {
  const early = new DonationEvents({ gross: money(4_000) });
  const closedFirst = new DonationEvents({ gross: money(6_000) });
  const plain = new DonationEvents({ gross: money(1_000) });
  const chunk = [
    early.refunded('re_early', 1_000, 1_000),
    plain.succeeded(),
    early.succeeded(),
    closedFirst.succeeded(),
    closedFirst.disputeClosed('dp_cf', 2_000, 'lost'),
    closedFirst.disputed('dp_cf', 2_000),
    early.refunded('re_early2', 3_500, 3_500), // more than is left: refused, both paths
  ];
  // A refusal fails the consumer's chunk (it is replayed one by one, the refused event
  // dead-lettered): here, the chunk without the refused event, as that replay leaves it.
  await expect(asOneChunk(setBased.db, chunk)).rejects.toThrow(PermanentEventError);
  await onePerTransaction(perEvent.db, chunk);
  await asOneChunk(setBased.db, chunk.slice(0, -1));
  await expectSameLedger();
});

it('parked events waiting from an earlier chunk are replayed in arrival order when their payment arrives', async () => {
  const d = new DonationEvents({ gross: money(9_000) });
  const first = [d.refunded('re_p1', 1_000, 1_000), d.disputed('dp_p1', 2_000)];
  const second = [
    d.succeeded(),
    d.disputeClosed('dp_p1', 2_000, 'lost'),
    d.refunded('re_p2', 500, 1_500),
  ];
  await onePerTransaction(perEvent.db, [...first, ...second]);
  expect(await asOneChunk(setBased.db, first)).toEqual({ posted: 0, perEvent: 2 });
  expect(await asOneChunk(setBased.db, second)).toEqual({ posted: 0, perEvent: 3 });
  await expectSameLedger();
});

it('a redelivered chunk posts nothing twice, and a chunk costs a fixed number of statements', async () => {
  const gifts = Array.from({ length: 40 }, (_, i) => new DonationEvents({ gross: money(100 + i) }));
  const chunk = gifts.flatMap((g, i) =>
    i % 4 === 0 ? [g.succeeded(), g.refunded(`re_r${i}`, 50, 50)] : [g.succeeded()],
  );
  const before = await statementsSent();
  await asOneChunk(setBased.db, chunk);
  // BEGIN, context, chain head, entries, donations, outbox, COMMIT: not one per event.
  expect((await statementsSent()) - before).toBeLessThanOrEqual(8);
  await onePerTransaction(perEvent.db, chunk);
  const once = await expectSameLedger();
  expect(await asOneChunk(setBased.db, chunk)).toEqual({ posted: 0, perEvent: 0 });
  expect(
    await asOneChunk(
      setBased.db,
      chunk.map((e) => ({ ...e, id: randomUUID() })),
    ),
  ).toEqual({
    posted: 0,
    perEvent: 0,
  });
  expect(await ledgerOf(setBased.db)).toEqual(once);
});

it('through the consumer on the real broker: the same messages delivered twice are posted once', async () => {
  const world = await openWorld('ledger_batch_kafka');
  try {
    const gifts = Array.from({ length: 30 }, () => new DonationEvents({ gross: money(2_500) }));
    const events = gifts.flatMap((g) => [
      g.succeeded(),
      g.refunded(`re_${g.donationId}`, 500, 500),
    ]);
    await world.publish(events);
    await world.waitConsumed(events.length);
    const once = await ledgerOf(world.db);
    await world.publish(events);
    await world.waitConsumed(2 * events.length);
    expect(await ledgerOf(world.db)).toEqual(once);
    expect(once.entries).toHaveLength(60);
    expect(once.donations).toHaveLength(30);
  } finally {
    await world.close();
  }
});

async function statementsSent(): Promise<number> {
  const metric = register.getSingleMetric('db_statements_total') as Counter | undefined;
  const { values } = (await metric?.get()) ?? { values: [] };
  return values.reduce((sum, v) => sum + v.value, 0);
}

// Monthly gifts in the ledger: installments marked and announced with their recurrence, the
// run-rate kept from payment's subscription lifecycle, finance totals one-off vs monthly.
import { randomUUID } from 'node:crypto';
import { createEvent, TOPICS, type AnyEvent } from '@bfi/events';
import { eventually, tapTopic, type Tap } from '@bfi/testing';
import request from 'supertest';
import { DonationEvents, FINANCE_KEY, money, openWorld, STAFF_KEY, type World } from './helpers';

let world: World;
let ledgerTap: Tap;
beforeAll(async () => {
  world = await openWorld('monthly_giving');
  ledgerTap = await tapTopic(world.transport, world.namespace + TOPICS.ledger);
});
afterAll(async () => {
  await ledgerTap?.stop();
  await world?.close();
});

const finance = { authorization: `Bearer ${FINANCE_KEY}` };
const subA = randomUUID();
const subB = randomUUID();
const at = '2026-03-01T10:00:00.000Z';

/** payment.succeeded.v1 of one installment, as payment sends it. */
function installment(subscriptionId: string, n: number, minor: number, currency: 'BYN' | 'EUR') {
  const base = new DonationEvents({ gross: money(minor, currency) }).succeeded();
  return createEvent(
    'payment.succeeded.v1',
    {
      ...(base.data as Extract<AnyEvent, { type: 'payment.succeeded.v1' }>['data']),
      recurrence: { subscriptionId, installment: n, interval: 'month' },
    },
    { source: '/services/payment' },
  );
}

function lifecycle(
  type: 'started' | 'amount-changed' | 'cancelled',
  subscriptionId: string,
  minor: number,
  currency: 'BYN' | 'EUR',
  previous?: number,
): AnyEvent {
  const common = {
    subscriptionId,
    provider: 'stripe' as const,
    fund: 'specialist-training',
    amount: money(minor, currency),
  };
  const opts = { source: '/services/payment' };
  if (type === 'started')
    return createEvent(
      'payment.subscription-started.v1',
      { ...common, interval: 'month', channel: 'online', officeId: null, startedAt: at },
      opts,
    );
  if (type === 'amount-changed')
    return createEvent(
      'payment.subscription-amount-changed.v1',
      { ...common, previousAmount: money(previous ?? minor, currency), occurredAt: at },
      opts,
    );
  return createEvent(
    'payment.subscription-cancelled.v1',
    { ...common, reason: 'donor', occurredAt: at },
    opts,
  );
}

async function givingTotals() {
  const res = await request(world.service.app).get('/totals/giving').set(finance).expect(200);
  return res.body as {
    funds: {
      fund: string;
      currency: string;
      oneOff: Record<string, number>;
      monthly: Record<string, number>;
    }[];
    runRate: { currency: string; minor: number; subscriptions: number }[];
  };
}

it('an installment is posted as its own donation, marked monthly, announced with its recurrence', async () => {
  const first = installment(subA, 1, 1500, 'BYN');
  await world.publish([lifecycle('started', subA, 1500, 'BYN'), first]);
  const posted = await eventually(() => {
    const found = ledgerTap
      .events()
      .find((e) => e.type === 'ledger.donation-posted.v1' && e.subject === first.subject);
    expect(found).toBeDefined();
    return found!;
  });
  expect(posted.data).toMatchObject({
    gross: money(1500, 'BYN'),
    recurrence: { subscriptionId: subA, installment: 1, interval: 'month' },
  });
  const row = await world.db.ledgerDonation.findUniqueOrThrow({ where: { id: first.subject } });
  expect(row).toMatchObject({ subscriptionId: subA, installment: 1 });
});

it('finance sees one-off vs monthly per fund and currency and the run-rate of active subscriptions', async () => {
  const oneOff = new DonationEvents({ gross: money(2000, 'BYN') });
  const refunded = installment(subA, 2, 1500, 'BYN');
  await world.publish([
    oneOff.succeeded(),
    refunded,
    lifecycle('started', subB, 700, 'EUR'),
    installment(subB, 1, 700, 'EUR'),
    // B gives more from now on; A is cancelled: nothing of A counts towards the run-rate.
    lifecycle('amount-changed', subB, 900, 'EUR', 700),
    lifecycle('cancelled', subA, 1500, 'BYN'),
  ]);
  const refund = createEvent(
    'payment.refunded.v1',
    {
      ...(refunded.data as Extract<AnyEvent, { type: 'payment.succeeded.v1' }>['data']),
      refundId: 're_monthly_1',
      amount: money(500, 'BYN'),
      totalRefunded: money(500, 'BYN'),
      fullyRefunded: false,
    },
    { source: '/services/payment' },
  );
  await world.publish([refund]);
  // The events travel on several partitions (one per donation or subscription): wait until every
  // one of them is in, then the totals must be exactly these.
  await eventually(async () => {
    const totals = await givingTotals();
    const eur = totals.runRate.find((r) => r.currency === 'EUR');
    expect(eur).toEqual({ currency: 'EUR', minor: 900, subscriptions: 1 });
    expect(totals.runRate.find((r) => r.currency === 'BYN')).toBeUndefined();
    expect(totals.funds).toEqual([
      {
        fund: 'specialist-training',
        currency: 'BYN',
        oneOff: { count: 1, gross: 2000, reversed: 0, net: 2000 },
        monthly: { count: 2, gross: 3000, reversed: 500, net: 2500 },
      },
      {
        fund: 'specialist-training',
        currency: 'EUR',
        oneOff: { count: 0, gross: 0, reversed: 0, net: 0 },
        monthly: { count: 1, gross: 700, reversed: 0, net: 700 },
      },
    ]);
  });
});

it('a redelivered lifecycle event counts once; an amount change after cancelling revives nothing', async () => {
  const subC = randomUUID();
  const started = lifecycle('started', subC, 1000, 'EUR');
  const late = lifecycle('amount-changed', subC, 5000, 'EUR', 1000);
  await world.publish([started, started, lifecycle('cancelled', subC, 1000, 'EUR'), late]);
  await eventually(async () => {
    const inbox = await world.db.inboxEvent.count({
      where: { eventId: { in: [started.id, late.id] } },
    });
    expect(inbox).toBe(2);
  });
  const row = await world.db.ledgerSubscription.findUniqueOrThrow({ where: { id: subC } });
  expect(row).toMatchObject({ status: 'cancelled', amountMinor: 1000n });
  const t = await givingTotals();
  expect(t.runRate).toEqual([{ currency: 'EUR', minor: 900, subscriptions: 1 }]);
});

it('the totals are for finance only (problem+json otherwise)', async () => {
  const anonymous = await request(world.service.app).get('/totals/giving');
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers['content-type']).toMatch(/problem\+json/);
  const staff = await request(world.service.app)
    .get('/totals/giving')
    .set({ authorization: `Bearer ${STAFF_KEY}` });
  expect(staff.status).toBe(403);
});

it("the endpoint is in the ledger's OpenAPI document", async () => {
  const res = await request(world.service.app).get('/openapi.json').expect(200);
  expect(res.body.paths['/totals/giving'].get.operationId).toBe('getGivingTotals');
});

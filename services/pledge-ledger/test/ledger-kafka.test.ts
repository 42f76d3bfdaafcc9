import { dlqTopic, TOPICS, type AnyEvent } from '@bfi/events';
import { eventually, tapTopic, type Tap } from '@bfi/testing';
import request from 'supertest';
import { createFund } from '../src/ledger/db/funds-repo';
import {
  consumedCount,
  DonationEvents,
  FINANCE_KEY,
  linesOf,
  money,
  openWorld,
  unbalancedEntries,
  type LineRow,
  type World,
} from './helpers';

// Payment events on the real broker → journal entries in the real database, through the
// service's inbox consumer. Amounts are checked to the minor unit against hand-written postings.

let world: World;
let ledgerTap: Tap;
let dlqTap: Tap;
let sent = 0;

async function publishAndWait(events: AnyEvent[]): Promise<void> {
  await world.publish(events);
  sent += events.length;
  await world.waitConsumed(sent);
}

const finance = () => ({ authorization: `Bearer ${FINANCE_KEY}` });

beforeAll(async () => {
  world = await openWorld('ledger_kafka');
  ledgerTap = await tapTopic(world.transport, world.namespace + TOPICS.ledger);
  dlqTap = await tapTopic(world.transport, dlqTopic(world.namespace + TOPICS.payment));
  await createFund(
    world.db,
    {
      slug: 'safe-schools',
      name: 'Safe schools workshops',
      restricted: true,
      feePolicy: 'general',
      description: null,
    },
    world.namespace,
  );
});

afterAll(async () => {
  await ledgerTap?.stop();
  await dlqTap?.stop();
  await world?.close();
});

const ST = 'specialist-training';
const L = (
  kind: string,
  account: string,
  fund: string | null,
  amount: number,
  currency = 'BYN',
): LineRow => ({
  kind,
  account,
  fund,
  currency,
  amount,
});

type Case = {
  name: string;
  donation: DonationEvents;
  events: (d: DonationEvents) => AnyEvent[];
  lines: LineRow[];
};

const cases: Case[] = [
  {
    name: 'donation with a fee charged to its own fund',
    donation: new DonationEvents({ gross: money(10000), fee: money(290) }),
    events: (d) => [d.succeeded()],
    lines: [
      L('donation', 'clearing:stripe:BYN', null, 10000),
      L('donation', `fund:${ST}:BYN`, ST, -10000),
      L('fee', 'fees:stripe:BYN', ST, 290),
      L('fee', 'clearing:stripe:BYN', null, -290),
    ],
  },
  {
    name: 'PayPal donation in USD without a reported fee',
    donation: new DonationEvents({ provider: 'paypal', gross: money(2500, 'USD') }),
    events: (d) => [d.succeeded()],
    lines: [
      L('donation', 'clearing:paypal:USD', null, 2500, 'USD'),
      L('donation', `fund:${ST}:USD`, ST, -2500, 'USD'),
    ],
  },
  {
    name: 'fee charged to general by the fund’s fee policy',
    donation: new DonationEvents({ fund: 'safe-schools', gross: money(3000), fee: money(117) }),
    events: (d) => [d.succeeded()],
    lines: [
      L('donation', 'clearing:stripe:BYN', null, 3000),
      L('donation', 'fund:safe-schools:BYN', 'safe-schools', -3000),
      L('fee', 'fees:stripe:BYN', 'general', 117),
      L('fee', 'clearing:stripe:BYN', null, -117),
    ],
  },
  {
    name: 'office donation, full refund',
    donation: new DonationEvents({ channel: 'office', gross: money(5000) }),
    events: (d) => [d.succeeded(), d.refunded('re_full', 5000, 5000)],
    lines: [
      L('donation', 'clearing:stripe:BYN', null, 5000),
      L('donation', `fund:${ST}:BYN`, ST, -5000),
      L('refund', `fund:${ST}:BYN`, ST, 5000),
      L('refund', 'clearing:stripe:BYN', null, -5000),
    ],
  },
  {
    name: 'two partial refunds',
    donation: new DonationEvents({ gross: money(8000) }),
    events: (d) => [
      d.succeeded(),
      d.refunded('re_p1', 3000, 3000),
      d.refunded('re_p2', 2000, 5000),
    ],
    lines: [
      L('donation', 'clearing:stripe:BYN', null, 8000),
      L('donation', `fund:${ST}:BYN`, ST, -8000),
      L('refund', `fund:${ST}:BYN`, ST, 3000),
      L('refund', 'clearing:stripe:BYN', null, -3000),
      L('refund', `fund:${ST}:BYN`, ST, 2000),
      L('refund', 'clearing:stripe:BYN', null, -2000),
    ],
  },
  {
    name: 'dispute opened (hold) then won (release)',
    donation: new DonationEvents({ gross: money(6000) }),
    events: (d) => [
      d.succeeded(),
      d.disputed('dp_won', 6000),
      d.disputeClosed('dp_won', 6000, 'won'),
    ],
    lines: [
      L('donation', 'clearing:stripe:BYN', null, 6000),
      L('donation', `fund:${ST}:BYN`, ST, -6000),
      L('dispute-opened', `fund:${ST}:BYN`, ST, 6000),
      L('dispute-opened', `disputes-held:${ST}:BYN`, ST, -6000),
      L('dispute-won', `disputes-held:${ST}:BYN`, ST, 6000),
      L('dispute-won', `fund:${ST}:BYN`, ST, -6000),
    ],
  },
  {
    name: 'dispute opened (hold) then lost (reverse)',
    donation: new DonationEvents({ gross: money(4000) }),
    events: (d) => [
      d.succeeded(),
      d.disputed('dp_lost', 4000),
      d.disputeClosed('dp_lost', 4000, 'lost'),
    ],
    lines: [
      L('donation', 'clearing:stripe:BYN', null, 4000),
      L('donation', `fund:${ST}:BYN`, ST, -4000),
      L('dispute-opened', `fund:${ST}:BYN`, ST, 4000),
      L('dispute-opened', `disputes-held:${ST}:BYN`, ST, -4000),
      L('dispute-lost', `disputes-held:${ST}:BYN`, ST, 4000),
      L('dispute-lost', 'clearing:stripe:BYN', null, -4000),
    ],
  },
];

describe('each kind of payment event posts the right balanced entries', () => {
  beforeAll(async () => {
    await publishAndWait(cases.flatMap((c) => c.events(c.donation)));
  });

  it.each(cases)('$name', async (c) => {
    expect(await linesOf(world.db, c.donation.donationId)).toEqual(c.lines);
  });

  it('every entry balances per currency', async () => {
    expect(await unbalancedEntries(world.db)).toEqual([]);
  });

  it('publishes ledger events through the outbox with donation id, fund, channel, office and amounts', async () => {
    const [fee, , general, office, partial, , lost] = cases.map((c) => c.donation.donationId);
    await eventually(() => expect(ledgerTap.events().length).toBeGreaterThanOrEqual(7 + 2 + 4));
    const events = ledgerTap.events();
    const of = (id: string | undefined, type: string) =>
      events.filter((e) => e.subject === id && e.type === type).map((e) => e.data);
    expect(of(fee, 'ledger.donation-posted.v1')).toEqual([
      expect.objectContaining({ fund: ST, channel: 'online', officeId: null, gross: money(10000) }),
    ]);
    expect(of(fee, 'ledger.fee-posted.v1')).toEqual([
      expect.objectContaining({ fee: money(290), chargedTo: ST }),
    ]);
    expect(of(general, 'ledger.fee-posted.v1')).toEqual([
      expect.objectContaining({ fund: 'safe-schools', chargedTo: 'general' }),
    ]);
    expect(of(office, 'ledger.donation-posted.v1')).toEqual([
      expect.objectContaining({ channel: 'office', officeId: 'minsk-1' }),
    ]);
    expect(of(office, 'ledger.donation-reversed.v1')).toEqual([
      expect.objectContaining({ amount: money(5000), reason: 'refund', fullyReversed: true }),
    ]);
    expect(of(partial, 'ledger.donation-reversed.v1')).toEqual([
      expect.objectContaining({ amount: money(3000), fullyReversed: false }),
      expect.objectContaining({ amount: money(2000), fullyReversed: false }),
    ]);
    expect(of(lost, 'ledger.donation-reversed.v1')).toEqual([
      expect.objectContaining({ amount: money(4000), reason: 'dispute-lost', fullyReversed: true }),
    ]);
    // Each announced entry exists: journalEntryId points at a committed entry.
    const ids = events.map((e) => (e.data as { journalEntryId: string }).journalEntryId);
    expect(await world.db.journalEntry.count({ where: { id: { in: ids } } })).toBe(
      new Set(ids).size,
    );
  });
});

describe('redelivery and duplicates post nothing twice', () => {
  it('the same event redelivered, and the same fact under a new event id, change nothing', async () => {
    const d = new DonationEvents({ gross: money(1500), fee: money(60) });
    const succeeded = d.succeeded();
    const refund = d.refunded('re_dup', 500, 500);
    await publishAndWait([succeeded, refund]);
    const before = await linesOf(world.db, d.donationId);
    expect(before).toHaveLength(6);
    const duplicatesBefore = await consumedCount('duplicate');
    // Redelivery (same event ids) plus a re-sent fact with a new event id.
    await publishAndWait([
      succeeded,
      refund,
      succeeded,
      d.succeeded(),
      d.refunded('re_dup', 500, 500),
    ]);
    expect(await linesOf(world.db, d.donationId)).toEqual(before);
    expect((await consumedCount('duplicate')) - duplicatesBefore).toBe(3);
  });
});

describe('out of order: park and apply', () => {
  it('a refund and a dispute before their payment.succeeded are parked, then applied when it arrives', async () => {
    const d = new DonationEvents({ gross: money(9000) });
    await publishAndWait([
      d.refunded('re_early', 1000, 1000),
      d.disputeClosed('dp_early', 2000, 'won'),
      d.disputed('dp_early', 2000),
    ]);
    expect(await linesOf(world.db, d.donationId)).toEqual([]);
    const parked = await request(world.service.app).get('/parked').set(finance()).expect(200);
    const mine = parked.body.parked.filter(
      (p: { donationId: string }) => p.donationId === d.donationId,
    );
    expect(mine.map((p: { type: string }) => p.type)).toEqual([
      'payment.refunded.v1',
      'payment.dispute-closed.v1',
      'payment.disputed.v1',
    ]);
    expect(mine[0].reason).toMatch(/no payment.succeeded seen yet/);

    await publishAndWait([d.succeeded()]);
    const kinds = (await linesOf(world.db, d.donationId)).map(
      (l) => `${l.kind} ${l.account} ${l.amount}`,
    );
    expect(kinds).toEqual([
      'donation clearing:stripe:BYN 9000',
      `donation fund:${ST}:BYN -9000`,
      `refund fund:${ST}:BYN 1000`,
      'refund clearing:stripe:BYN -1000',
      `dispute-opened fund:${ST}:BYN 2000`,
      `dispute-opened disputes-held:${ST}:BYN -2000`,
      `dispute-won disputes-held:${ST}:BYN 2000`,
      `dispute-won fund:${ST}:BYN -2000`,
    ]);
    expect(await world.db.parkedEvent.count({ where: { donationId: d.donationId } })).toBe(0);
  });
});

describe('a parked event refused when it can finally be applied', () => {
  it('goes to the dead-letter topic with the reason; the payment that unblocked it posts', async () => {
    const d = new DonationEvents({ gross: money(1000) });
    // Two refunds of 600 arrive before the 1000 payment: parked. When the payment arrives they
    // are replayed in the same transaction: the first posts, the second is refused (only 400
    // are left).
    const first = d.refunded('re_parked_1', 600, 600);
    const tooMuch = d.refunded('re_parked_big', 600, 1000);
    await publishAndWait([first, tooMuch]);
    expect(await world.db.parkedEvent.count({ where: { donationId: d.donationId } })).toBe(2);
    await publishAndWait([d.succeeded()]);

    const dead = await eventually(() => {
      const found = dlqTap.messages.filter((m) => m.key === d.donationId);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(JSON.parse(dead.value).id).toBe(tooMuch.id);
    expect(dead.headers['dlq-reason']).toBe('refused');
    expect(dead.headers['dlq-error']).toMatch(
      /^refused when replayed: refund re_parked_big of 600 exceeds what is left of donation/,
    );
    expect(dead.headers['dlq-source']).toMatch(/^parked_event\//);
    await eventually(async () =>
      expect(await world.db.parkedEvent.count({ where: { donationId: d.donationId } })).toBe(0),
    );
    const kinds = (await linesOf(world.db, d.donationId)).map((l) => `${l.kind} ${l.amount}`);
    expect(kinds).toEqual(['donation 1000', 'donation -1000', 'refund 600', 'refund -600']);
  });
});

describe('refusals go to the dead-letter topic with a reason and post nothing', () => {
  it('a refund larger than what is left of the donation, and a donation to an unknown fund', async () => {
    const d = new DonationEvents({ gross: money(1000) });
    const tooMuch = d.refunded('re_big', 1000, 1000);
    await publishAndWait([d.succeeded(), d.refunded('re_small', 400, 400), tooMuch]);
    const unknown = new DonationEvents({ fund: 'no-such-fund', gross: money(100) });
    await publishAndWait([unknown.succeeded()]);

    await eventually(() => expect(dlqTap.messages.length).toBeGreaterThanOrEqual(2));
    const reasons = Object.fromEntries(dlqTap.messages.map((m) => [m.key, m.headers['dlq-error']]));
    expect(reasons[d.donationId]).toMatch(
      /refund re_big of 1000 exceeds what is left of donation .* \(gross 1000, refunded 400/,
    );
    expect(reasons[unknown.donationId]).toMatch(
      /unknown fund "no-such-fund": create it \(POST \/funds\)/,
    );
    expect((await linesOf(world.db, d.donationId)).filter((l) => l.kind === 'refund')).toHaveLength(
      2,
    );
    expect(await linesOf(world.db, unknown.donationId)).toEqual([]);
  });
});

describe('/metrics', () => {
  it('reports the consumer lag read from the broker', async () => {
    const lag = await world.service.lag.refresh();
    expect(lag).toBe(0);
    const metrics = await request(world.service.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/messaging_consumer_lag\{consumer="[^"]*pledge-ledger"\} 0/);
    expect(metrics.text).toMatch(
      /messaging_events_consumed_total\{consumer="[^"]*pledge-ledger",type="payment.succeeded.v1",outcome="processed"\}/,
    );
  });
});

describe('donor secret hash', () => {
  it('payment.succeeded’s donorSecretHash is passed on in ledger.donation-posted, and only there', async () => {
    const hash = 'ab12'.repeat(16);
    const withHash = new DonationEvents({ gross: money(2500) });
    const without = new DonationEvents({ gross: money(2600) });
    const succeeded = withHash.succeeded();
    (succeeded.data as { donorSecretHash?: string }).donorSecretHash = hash;
    await publishAndWait([succeeded, without.succeeded(), withHash.refunded('re_h1', 500, 500)]);
    await eventually(() => {
      const posted = ledgerTap
        .events()
        .filter((e) => e.type === 'ledger.donation-posted.v1')
        .map((e) => e.data as { donationId: string; donorSecretHash?: string });
      expect(posted.find((d) => d.donationId === withHash.donationId)?.donorSecretHash).toBe(hash);
      const plain = posted.find((d) => d.donationId === without.donationId);
      expect(plain).toBeDefined();
      expect(plain).not.toHaveProperty('donorSecretHash');
    });
    const reversed = await eventually(() => {
      const e = ledgerTap
        .events()
        .find((x) => x.type === 'ledger.donation-reversed.v1' && x.subject === withHash.donationId);
      expect(e).toBeDefined();
      return e!;
    });
    expect(reversed.data).not.toHaveProperty('donorSecretHash');
  });
});

// End to end, as people use it: each service its own process, real Kafka, real PostgreSQL,
// the real Stripe SDK and PayPal SDK against local fakes. Online gifts via Stripe and PayPal,
// an office gift through a counter QR redeemed by that office's staff, a refund and a lost
// dispute — then the invariants over everything.
import {
  asDonor,
  awaitInvariants,
  Book,
  call,
  counterQr,
  createGift,
  expectStatus,
  FUND,
  getDonation,
  infraFromEnv,
  paypalFee,
  printSummary,
  stripeFee,
  stripeSdk,
  Suite,
  waitForStatus,
  type Gift,
} from '../src';
import { eventually } from '@bfi/testing';

let suite: Suite;
const book = new Book();
const started = Date.now();
const gifts: Record<'stripe' | 'paypal' | 'office', Gift> = {} as never;
let officeCode = '';

interface JournalEntry {
  kind: string;
  donationId: string | null;
  officeId: string | null;
  lines: { accountType: string; currency: string; amount: number }[];
}
interface RewardView {
  kind: string;
  status: string;
  officeId: string | null;
  claimCode: string | null;
}
interface Stock {
  available: number;
  reserved: number;
  onShelf: number;
}

beforeAll(async () => {
  suite = await Suite.start({ scenario: 'flows', infra: infraFromEnv(), stockPerOffice: 5 });
});

afterAll(async () => {
  await suite?.stop();
});

async function entriesOf(donationId: string): Promise<JournalEntry[]> {
  const page = await expectStatus<{ entries: JournalEntry[] }>(
    200,
    `${suite.ledger.url}/journal?fund=${FUND}&limit=500`,
    {
      key: suite.keys.finance,
    },
  );
  return page.entries.filter((e) => e.donationId === donationId);
}

async function rewardOf(donationId: string): Promise<RewardView> {
  return expectStatus<RewardView>(200, `${suite.reward.url}/rewards/by-donation/${donationId}`, {
    headers: asDonor(donationId),
  });
}

async function stockOf(officeId: string, key: string): Promise<Stock> {
  return expectStatus<Stock>(200, `${suite.reward.url}/offices/${officeId}/stock`, { key });
}

async function fundRow(currency: string) {
  const totals = await expectStatus<{
    rows: {
      currency: string;
      gross: number;
      fees: number;
      refunds: number;
      net: number;
      count: number;
    }[];
  }>(200, `${suite.ledger.url}/funds/${FUND}/totals`, { key: suite.keys.finance });
  return totals.rows.find((r) => r.currency === currency);
}

async function raised(): Promise<Record<string, number>> {
  const body = await expectStatus<{ raised: { currency: string; minor: number }[] }>(
    200,
    `${suite.ledger.url}/campaign/totals`,
  );
  return Object.fromEntries(body.raised.map((r) => [r.currency, r.minor]));
}

test('an online gift via Stripe: ledger entries, digital reward unlocked, fund and campaign totals', async () => {
  const { gift, view } = await createGift(suite, book, {
    provider: 'stripe',
    currency: 'BYN',
    amount: 2500,
  });
  expect(view.status).toBe('pending');
  // The donor presses "Pay" on the (fake) Stripe Checkout page; Stripe sends the signed webhooks.
  const pay = await fetch(`${view.redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(pay.status).toBe(303);
  await waitForStatus(suite, gift.id, 'succeeded');
  gift.succeeded = true;
  gift.fee = stripeFee(2500);
  gifts.stripe = gift;

  const entries = await eventually(async () => {
    const found = await entriesOf(gift.id);
    expect(found.map((e) => e.kind).sort()).toEqual(['donation', 'fee']);
    return found;
  });
  const donation = entries.find((e) => e.kind === 'donation')!;
  expect(donation.lines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ accountType: 'clearing', currency: 'BYN', amount: 2500 }),
      expect.objectContaining({ accountType: 'fund', currency: 'BYN', amount: -2500 }),
    ]),
  );
  const reward = await eventually(() => rewardOf(gift.id));
  expect(reward).toMatchObject({ kind: 'digital-sticker-pack', status: 'available' });
  expect(reward.claimCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  expect(await fundRow('BYN')).toMatchObject({
    gross: 2500,
    fees: stripeFee(2500),
    refunds: 0,
    count: 1,
  });
  expect(await raised()).toEqual({ BYN: 2500 });
});

test('an online gift via PayPal (EUR): captured, posted, rewarded, in the totals', async () => {
  const { gift, view } = await createGift(suite, book, {
    provider: 'paypal',
    currency: 'EUR',
    amount: 1500,
  });
  const orderId = view.providerRefs.orderId;
  expect(orderId).toBeTruthy();
  // The donor approves on PayPal; the service captures the order on CHECKOUT.ORDER.APPROVED.
  await suite.paypal.approve(orderId!);
  await waitForStatus(suite, gift.id, 'succeeded');
  gift.succeeded = true;
  gift.fee = paypalFee(1500);
  gifts.paypal = gift;

  await eventually(async () =>
    expect((await entriesOf(gift.id)).map((e) => e.kind).sort()).toEqual(['donation', 'fee']),
  );
  expect(await eventually(() => rewardOf(gift.id))).toMatchObject({
    kind: 'digital-sticker-pack',
    status: 'available',
  });
  expect(await fundRow('EUR')).toMatchObject({ gross: 1500, fees: paypalFee(1500), count: 1 });
  expect(await raised()).toEqual({ BYN: 2500, EUR: 1500 });
});

test('BYN through PayPal is refused with a clear reason and creates nothing', async () => {
  const res = await call<{ detail: string }>(`${suite.payment.url}/donations`, {
    body: { amount: 1000, currency: 'BYN', provider: 'paypal' },
    headers: { 'idempotency-key': 'e2e-paypal-byn-0001' },
  });
  expect(res.status).toBe(422);
  expect(res.body.detail).toMatch(/BYN/);
});

test('an office gift through a counter QR: physical pack reserved there, redeemed by that office, stock down by one', async () => {
  const [office, other] = suite.offices as [(typeof suite.offices)[0], (typeof suite.offices)[0]];
  const before = await stockOf(office.id, office.staffKey);

  // Staff of another office cannot make a QR for this counter.
  const foreign = await call(
    `${suite.payment.url}/donation-points/${office.counterPointId}/intents`,
    {
      key: other.staffKey,
      body: { amount: 1500, currency: 'BYN' },
    },
  );
  expect(foreign.status).toBe(403);

  const qr = await counterQr(suite, office.counterPointId, office.staffKey, 1500, 'BYN');
  const { gift, view } = await createGift(suite, book, {
    provider: 'stripe',
    currency: 'BYN',
    amount: 1500,
    pointToken: qr.token,
    officeId: office.id,
  });
  expect(view).toMatchObject({ channel: 'office', officeId: office.id });
  // The counter QR is single use.
  const reused = await call(`${suite.payment.url}/donations`, {
    body: { amount: 1500, currency: 'BYN', provider: 'stripe', pointToken: qr.token },
    headers: { 'idempotency-key': 'e2e-reuse-qr-0001' },
  });
  expect(reused.status).toBe(409);

  await fetch(`${view.redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
  await waitForStatus(suite, gift.id, 'succeeded');
  gift.succeeded = true;
  gift.fee = stripeFee(1500);
  gifts.office = gift;

  const reward = await eventually(() => rewardOf(gift.id));
  expect(reward).toMatchObject({
    kind: 'physical-sticker-pack',
    status: 'available',
    officeId: office.id,
  });
  officeCode = reward.claimCode!;
  expect(await stockOf(office.id, office.staffKey)).toMatchObject({
    available: before.available - 1,
    reserved: before.reserved + 1,
    onShelf: before.onShelf,
  });
  const entries = await entriesOf(gift.id);
  expect(entries.find((e) => e.kind === 'donation')).toMatchObject({ officeId: office.id });

  // Staff of the other office can neither redeem at this office nor at their own.
  expect(
    (
      await call(`${suite.reward.url}/offices/${office.id}/redemptions`, {
        key: other.staffKey,
        body: { code: officeCode },
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await call(`${suite.reward.url}/offices/${other.id}/redemptions`, {
        key: other.staffKey,
        body: { code: officeCode },
      })
    ).status,
  ).toBe(403);

  const handed = await expectStatus<{ status: string }>(
    200,
    `${suite.reward.url}/offices/${office.id}/redemptions`,
    {
      key: office.staffKey,
      body: { code: officeCode.toLowerCase().replace('-', ' ') },
    },
  );
  expect(handed.status).toBe('handed-out');
  gift.handedOut = true;
  expect(
    (
      await call(`${suite.reward.url}/offices/${office.id}/redemptions`, {
        key: office.staffKey,
        body: { code: officeCode },
      })
    ).status,
  ).toBe(409);
  expect(await stockOf(office.id, office.staffKey)).toMatchObject({
    available: before.available - 1,
    reserved: before.reserved,
    onShelf: before.onShelf - 1,
  });
});

test('a full refund and a partial one: reversal entries, reward revoked only when below the minimum, totals back', async () => {
  const { stripe, paypal } = gifts;
  const fundBefore = await fundRow('BYN');
  await expectStatus(201, `${suite.payment.url}/donations/${stripe.id}/refunds`, {
    key: suite.keys.finance,
    body: {},
  });
  stripe.refunds.push({ id: 'full', amount: 2500 });
  await expectStatus(201, `${suite.payment.url}/donations/${paypal.id}/refunds`, {
    key: suite.keys.finance,
    body: { amount: 500 },
  });
  paypal.refunds.push({ id: 'partial', amount: 500 });

  await eventually(async () => {
    const refund = (await entriesOf(stripe.id)).find((e) => e.kind === 'refund');
    expect(refund?.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountType: 'fund', currency: 'BYN', amount: 2500 }),
      ]),
    );
  });
  await eventually(async () => expect((await rewardOf(stripe.id)).status).toBe('revoked'));
  await eventually(async () =>
    expect((await entriesOf(paypal.id)).map((e) => e.kind)).toContain('refund'),
  );
  // 1000 EUR left is above the 200 EUR minimum: the digital pack stays.
  expect((await rewardOf(paypal.id)).status).toBe('available');
  expect((await getDonation(suite, stripe.id)).status).toBe('refunded');
  expect(await fundRow('BYN')).toMatchObject({ gross: fundBefore!.gross, refunds: 2500 });
  expect(await raised()).toEqual({ BYN: 1500, EUR: 1000 });
});

test('a lost dispute on the handed-out office gift: hold then reversal, reward flagged for finance, totals back', async () => {
  const office = gifts.office;
  const intentId = (await getDonation(suite, office.id)).providerRefs.paymentIntentId!;
  const opened = await suite.stripe.openDispute(intentId);
  expect(suite.stripe.deliveries.at(-1)).toMatchObject({ eventId: opened.id, status: 200 });
  await suite.stripe.closeDispute(opened.data.object.id, 'lost');
  expect(suite.stripe.deliveries.at(-1)?.status).toBe(200);
  office.lost = office.amount;

  await eventually(async () =>
    expect((await entriesOf(office.id)).map((e) => e.kind).sort()).toEqual([
      'dispute-lost',
      'dispute-opened',
      'donation',
      'fee',
    ]),
  );
  await eventually(async () => expect((await rewardOf(office.id)).status).toBe('flagged'));
  const flagged = await expectStatus<{ rewards: { donationId: string }[] }>(
    200,
    `${suite.reward.url}/finance/flagged-rewards`,
    {
      key: suite.keys.finance,
    },
  );
  expect(flagged.rewards.map((r) => r.donationId)).toContain(office.id);
  expect(await raised()).toEqual({ BYN: 0, EUR: 1000 });
});

test('invariants over the whole run', async () => {
  const { figures, recoverMs } = await awaitInvariants(suite, { book });
  expect(figures.ledger.unbalancedEntries).toBe(0);
  printSummary('e2e-flows', {
    gifts: book.counts(),
    stripeDeliveries: suite.stripe.deliveries.length,
    paypalDeliveries: suite.paypal.deliveries.length,
    kills: 0,
    invariants: figures,
    settleMs: recoverMs,
    durationMs: Date.now() - started,
  });
});

// A refund or dispute webhook can overtake the payment webhook of its donation. The payment
// service stores it and answers 200 "queued" (Stripe never resends a 2xx-answered event, so the
// inbox keeps it): once the payment is confirmed the refund or dispute applies, with no
// redelivery from Stripe.
describe('refund or dispute webhook before the payment webhook', () => {
  async function paidButUndelivered(amount: number) {
    const { gift, view } = await createGift(suite, new Book(), {
      provider: 'stripe',
      currency: 'BYN',
      amount,
    });
    const events = await suite.stripe.pay(view.providerRefs.checkoutSessionId!, { deliver: false });
    const intentId = suite.stripe.sessions.get(view.providerRefs.checkoutSessionId!)!
      .payment_intent as string;
    return { gift, events, intentId };
  }

  async function deliverOnce(event: Parameters<Suite['stripe']['deliver']>[0]): Promise<string> {
    const delivery = await suite.stripe.deliver(event);
    expect(delivery.status).toBe(200);
    return (JSON.parse(delivery.body) as { outcome: string }).outcome;
  }

  const deliveriesOf = (eventId: string) =>
    suite.stripe.deliveries.filter((d) => d.eventId === eventId);

  test('a refund that overtakes the payment is stored (200 queued), then applied once the payment arrives', async () => {
    const { gift, events, intentId } = await paidButUndelivered(1000);
    await stripeSdk(suite).refunds.create({
      payment_intent: intentId,
    });
    const chargeId = suite.stripe.paymentIntents.get(intentId)!.latest_charge as string;
    const refunded = suite.stripe.event('charge.refunded', suite.stripe.charges.get(chargeId)!);
    expect(await deliverOnce(refunded)).toMatch(/^queued/);
    for (const e of events) await deliverOnce(e);
    await eventually(async () =>
      expect((await getDonation(suite, gift.id)).status).toBe('refunded'),
    );
    for (const e of [refunded, ...events]) expect(deliveriesOf(e.id)).toHaveLength(1);
  });

  test('a dispute that overtakes the payment is stored (200 queued), then applied once the payment arrives', async () => {
    const { gift, events, intentId } = await paidButUndelivered(1000);
    const opened = await suite.stripe.openDispute(intentId, { deliver: false });
    expect(await deliverOnce(opened)).toMatch(/^queued/);
    for (const e of events) await deliverOnce(e);
    await eventually(async () =>
      expect(await call(`${suite.payment.url}/donations/${gift.id}`)).toMatchObject({
        body: { disputeStatus: 'open' },
      }),
    );
    for (const e of [opened, ...events]) expect(deliveriesOf(e.id)).toHaveLength(1);
  });
});

// Stripe Billing as the fake keeps it, through the real stripe SDK: Checkout in subscription
// mode takes only a recurring price and refuses what only payment mode takes; the clock bills
// each period; a subscription item's new price needs its product; a cancelled subscription
// is not charged again and cannot be cancelled twice.
import Stripe from 'stripe';
import { FakeStripe } from '../src';

const fake = new FakeStripe();
let sdk: Stripe;

beforeAll(async () => {
  await fake.start();
  sdk = new Stripe('sk_test_billing', fake.sdkOptions());
});
afterAll(() => fake.stop());

const recurringItem = (unit_amount: number) => ({
  quantity: 1,
  price_data: {
    currency: 'eur',
    unit_amount,
    recurring: { interval: 'month' as const },
    product_data: { name: 'Monthly gift' },
  },
});
const session = (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) =>
  sdk.checkout.sessions.create({
    mode: 'subscription',
    line_items: [recurringItem(1000)],
    success_url: 'https://give.test/ok',
    subscription_data: { metadata: { subscriptionId: 'ours-1' } },
    ...extra,
  });

describe('fake Stripe Billing', () => {
  it('refuses submit_type and payment_intent_data in subscription mode, and a one-off price', async () => {
    await expect(session({ submit_type: 'donate' })).rejects.toThrow(/payment. mode/);
    await expect(session({ payment_intent_data: { metadata: { a: 'b' } } })).rejects.toThrow(
      /subscription. mode/,
    );
    await expect(
      session({
        line_items: [
          {
            quantity: 1,
            price_data: { currency: 'eur', unit_amount: 1000, product_data: { name: 'x' } },
          },
        ],
      }),
    ).rejects.toThrow(/recurring/);
  });

  it('pays the first invoice at checkout, bills each period on the clock, declines once when told', async () => {
    const s = await session();
    const events = await fake.pay(s.id, { deliver: false });
    expect(events.map((e) => e.type)).toEqual([
      'checkout.session.completed',
      'customer.subscription.created',
      'invoice.paid',
    ]);
    const subId = (await sdk.checkout.sessions.retrieve(s.id)).subscription as string;
    const first = events[2]!.data.object as unknown as Stripe.Invoice;
    expect(first).toMatchObject({
      billing_reason: 'subscription_create',
      amount_paid: 1000,
      status: 'paid',
    });
    expect(first.parent?.subscription_details?.metadata).toEqual({ subscriptionId: 'ours-1' });
    const payments = await sdk.invoicePayments.list({ invoice: first.id });
    expect(payments.data[0]?.payment.payment_intent).toMatch(/^pi_/);

    const next = await fake.advance(subId, { deliver: false });
    expect(next.map((e) => e.type)).toEqual(['invoice.paid']);
    expect(next[0]!.data.object.billing_reason).toBe('subscription_cycle');
    fake.declineNextCharge(subId);
    const declined = await fake.advance(subId, { deliver: false });
    expect(declined.map((e) => e.type)).toEqual([
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    expect((await sdk.subscriptions.retrieve(subId)).status).toBe('past_due');
    const paid = await sdk.invoices.pay(declined[0]!.data.object.id);
    expect(paid.status).toBe('paid');
    expect((await sdk.subscriptions.retrieve(subId)).status).toBe('active');
  });

  it('changes the item price with its product, then cancels: nothing is charged after', async () => {
    const s = await session();
    await fake.pay(s.id, { deliver: false });
    const subId = (await sdk.checkout.sessions.retrieve(s.id)).subscription as string;
    const sub = await sdk.subscriptions.retrieve(subId);
    const item = sub.items.data[0]!;
    const product = item.price.product as string;
    await expect(
      sdk.subscriptions.update(subId, {
        items: [
          {
            id: item.id,
            price_data: {
              currency: 'eur',
              unit_amount: 2000,
              recurring: { interval: 'month' },
              product: 'prod_missing',
            },
          },
        ],
      }),
    ).rejects.toThrow(/No such product/);
    const updated = await sdk.subscriptions.update(subId, {
      items: [
        {
          id: item.id,
          price_data: {
            currency: 'eur',
            unit_amount: 2000,
            recurring: { interval: 'month' },
            product,
          },
        },
      ],
      proration_behavior: 'none',
    });
    expect(updated.items.data[0]!.price.unit_amount).toBe(2000);
    const [invoice] = await fake.advance(subId, { deliver: false });
    expect(invoice!.data.object.amount_paid).toBe(2000);
    expect((await sdk.subscriptions.cancel(subId)).status).toBe('canceled');
    await expect(sdk.subscriptions.cancel(subId)).rejects.toThrow(/already canceled/);
    expect(await fake.advance(subId, { deliver: false })).toEqual([]);
  });
});

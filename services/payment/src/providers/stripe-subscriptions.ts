import type { Money } from '@bfi/money';
import Stripe from 'stripe';
import { stripeLocale } from './stripe';
import { ProviderError, type CheckoutRequest, type CheckoutResult } from './types';

/** A monthly gift's first checkout: the donation of installment 1 and its subscription. */
export interface SubscriptionCheckoutRequest extends CheckoutRequest {
  subscriptionId: string;
}

/** Where a subscription stands at Stripe, as the manage page needs it. */
export interface StripeSubscriptionState {
  status: string;
  itemId: string;
  productId: string;
  amount: Money;
  currentPeriodEnd: number | null;
}

const MONTHLY = { interval: 'month' } as const;

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError)
      throw new ProviderError(`Stripe: ${err.message}`, err.statusCode);
    throw err;
  }
}

/**
 * Monthly gifts through Stripe Billing: Checkout in subscription mode with inline price_data
 * (a Price per amount and currency is made by Stripe as the session is created), the amount
 * changed by a new inline price on the subscription's one item without proration, cancellation.
 */
export class StripeSubscriptions {
  constructor(private readonly client: Stripe) {}

  async createCheckout(req: SubscriptionCheckoutRequest): Promise<CheckoutResult> {
    // subscriptionId in the subscription's metadata comes back on every invoice
    // (parent.subscription_details.metadata): an invoice finds its gift even before
    // checkout.session.completed has told us the Stripe subscription id.
    const metadata = {
      donationId: req.donationId,
      subscriptionId: req.subscriptionId,
      fund: req.fund,
    };
    const session = await call(() =>
      this.client.checkout.sessions.create(
        {
          mode: 'subscription',
          locale: stripeLocale(req.locale),
          client_reference_id: req.donationId,
          ...(req.donorEmail ? { customer_email: req.donorEmail } : {}),
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: req.amount.currency.toLowerCase(),
                unit_amount: req.amount.minor,
                recurring: MONTHLY,
                product_data: { name: req.description },
              },
            },
          ],
          metadata,
          subscription_data: { metadata: { subscriptionId: req.subscriptionId, fund: req.fund } },
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        { idempotencyKey: `checkout-${req.donationId}` },
      ),
    );
    if (!session.url)
      throw new ProviderError('Stripe returned a Checkout Session without a URL', undefined);
    return { checkoutSessionId: session.id, redirectUrl: session.url };
  }

  async retrieve(subscriptionId: string): Promise<StripeSubscriptionState> {
    const sub = await call(() => this.client.subscriptions.retrieve(subscriptionId));
    return stateOf(sub);
  }

  /** The next invoices charge `amount`: a new inline price on the item, nothing prorated now. */
  async changeAmount(
    subscriptionId: string,
    amount: Money,
    key: string,
  ): Promise<StripeSubscriptionState> {
    const current = await this.retrieve(subscriptionId);
    const sub = await call(() =>
      this.client.subscriptions.update(
        subscriptionId,
        {
          items: [
            {
              id: current.itemId,
              price_data: {
                currency: amount.currency.toLowerCase(),
                unit_amount: amount.minor,
                recurring: MONTHLY,
                product: current.productId,
              },
            },
          ],
          proration_behavior: 'none',
        },
        { idempotencyKey: key },
      ),
    );
    return stateOf(sub);
  }

  async cancel(subscriptionId: string): Promise<void> {
    await call(() => this.client.subscriptions.cancel(subscriptionId));
  }

  /** The payment intent that paid (or tried to pay) an invoice, from its invoice payments. */
  async invoicePaymentIntent(invoiceId: string): Promise<string | null> {
    const list = await call(() =>
      this.client.invoicePayments.list({ invoice: invoiceId, limit: 10 }),
    );
    const paid = list.data.find((p) => p.status === 'paid') ?? list.data[0];
    const pi = paid?.payment.payment_intent;
    return typeof pi === 'string' ? pi : (pi?.id ?? null);
  }
}

function stateOf(sub: Stripe.Subscription): StripeSubscriptionState {
  const item = sub.items.data[0];
  if (!item) throw new ProviderError('Stripe returned a subscription without an item', 422);
  const price = item.price;
  const product = typeof price.product === 'string' ? price.product : price.product.id;
  return {
    status: sub.status,
    itemId: item.id,
    productId: product,
    amount: {
      minor: price.unit_amount ?? 0,
      currency: price.currency.toUpperCase() as Money['currency'],
    },
    currentPeriodEnd: item.current_period_end ?? null,
  };
}

import { toMajorString, type Money } from '@bfi/money';
import type paypal from '@paypal/checkout-server-sdk';
import type { SubscriptionCheckoutRequest } from './stripe-subscriptions';
import { paypalLocale } from './paypal';
import { ProviderError } from './types';

export interface PayPalSubscriptionCreated {
  subscriptionId: string;
  planId: string;
  redirectUrl: string;
}

type Link = { rel: string; href: string };

/**
 * Monthly gifts through PayPal's Subscriptions API, with the checkout SDK's client (request
 * objects for paths it has no classes for): one catalog product per fund, one billing plan per
 * fund, amount and currency (PayPal prices live on plans), the subscription with its approve
 * link, revise to another plan for an amount change, cancel. Each create carries a
 * PayPal-Request-Id, so a retry after a timeout makes nothing twice.
 */
export class PayPalSubscriptions {
  constructor(
    private readonly client: paypal.core.PayPalHttpClient,
    private readonly brandName: string,
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  private async send<T>(
    verb: string,
    path: string,
    body?: unknown,
    requestId?: string,
  ): Promise<T> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Prefer: 'return=representation',
    };
    if (requestId) headers['PayPal-Request-Id'] = requestId;
    const res = await this.call(() =>
      this.client.execute<T>({ path, verb, headers, ...(body === undefined ? {} : { body }) }),
    );
    return res.result;
  }

  private async productFor(fund: string): Promise<string> {
    const product = await this.send<{ id: string }>(
      'POST',
      '/v1/catalogs/products',
      { name: `#BullyingFreeInternet — ${fund}`, type: 'SERVICE', category: 'CHARITY' },
      `product-${fund}`,
    );
    return product.id;
  }

  /** The monthly plan for this fund, amount and currency (made once: PayPal-Request-Id). */
  async planFor(fund: string, amount: Money): Promise<string> {
    const product = await this.productFor(fund);
    const plan = await this.send<{ id: string }>(
      'POST',
      '/v1/billing/plans',
      {
        product_id: product,
        name: `Monthly gift ${toMajorString(amount)} ${amount.currency}`,
        billing_cycles: [
          {
            frequency: { interval_unit: 'MONTH', interval_count: 1 },
            tenure_type: 'REGULAR',
            sequence: 1,
            total_cycles: 0,
            pricing_scheme: {
              fixed_price: { value: toMajorString(amount), currency_code: amount.currency },
            },
          },
        ],
        payment_preferences: { auto_bill_outstanding: true, payment_failure_threshold: 3 },
      },
      `plan-${fund}-${amount.minor}${amount.currency}`,
    );
    return plan.id;
  }

  async createSubscription(req: SubscriptionCheckoutRequest): Promise<PayPalSubscriptionCreated> {
    const planId = await this.planFor(req.fund, req.amount);
    const locale = paypalLocale(req.locale);
    const sub = await this.send<{ id: string; links: Link[] }>(
      'POST',
      '/v1/billing/subscriptions',
      {
        plan_id: planId,
        // custom_id comes back on every webhook about the subscription: our id.
        custom_id: req.subscriptionId,
        ...(req.donorEmail ? { subscriber: { email_address: req.donorEmail } } : {}),
        application_context: {
          brand_name: this.brandName,
          ...(locale ? { locale } : {}),
          user_action: 'SUBSCRIBE_NOW',
          shipping_preference: 'NO_SHIPPING',
          return_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
      },
      `subscription-${req.donationId}`,
    );
    const approve = sub.links.find((l) => l.rel === 'approve');
    if (!approve)
      throw new ProviderError('PayPal returned a subscription without an approve link', undefined);
    return { subscriptionId: sub.id, planId, redirectUrl: approve.href };
  }

  /** The next charges use the plan of the new amount (revise; the fund stays). */
  async changeAmount(subscriptionId: string, fund: string, amount: Money): Promise<void> {
    const planId = await this.planFor(fund, amount);
    await this.send(
      'POST',
      `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}/revise`,
      { plan_id: planId },
    );
  }

  async cancel(subscriptionId: string): Promise<void> {
    await this.send(
      'POST',
      `/v1/billing/subscriptions/${encodeURIComponent(subscriptionId)}/cancel`,
      {
        reason: 'Cancelled by the donor from the manage link',
      },
    );
  }

  /** Refund of one installment (a sale), as captures are refunded for one-off gifts. */
  async refundSale(
    saleId: string,
    amount: Money,
    requestId: string,
  ): Promise<{ refundId: string; amount: Money }> {
    const refund = await this.send<{ id: string }>(
      'POST',
      `/v1/payments/sale/${encodeURIComponent(saleId)}/refund`,
      { amount: { total: toMajorString(amount), currency: amount.currency } },
      requestId,
    );
    return { refundId: refund.id, amount };
  }
}

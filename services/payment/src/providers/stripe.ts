import { CURRENCY_CODES, type Currency, type Money } from '@bfi/money';
import Stripe from 'stripe';
import type { PaymentConfig } from '../config';
import { StripeSubscriptions } from './stripe-subscriptions';
import {
  ProviderError,
  type CheckoutRequest,
  type CheckoutResult,
  type DonorLocale,
  type ProviderRefund,
} from './types';

export type StripeEvent = Stripe.Event;

/**
 * The Stripe API version this code is typed for: the one the `stripe` package (23.1.0) pins.
 * Every request sends it (Stripe-Version), and the webhook endpoint must be created with the
 * same `api_version`, because Stripe renders each event's object in the endpoint's version, not
 * the request's. `satisfies` makes an SDK upgrade that moves the version fail the typecheck
 * until this line (and the endpoint) move with it.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' satisfies Stripe.LatestApiVersion;

/**
 * Stripe Checkout's language for the donor page's language. Checkout speaks Russian and English
 * but not Belarusian: a Belarusian page gets 'auto' (Checkout follows the browser's languages,
 * which for a Belarusian-speaking donor usually includes Russian or English), rather than
 * imposing Russian on someone who chose Belarusian. No page language (an API client): 'auto'.
 */
export function stripeLocale(
  locale: DonorLocale | null,
): Stripe.Checkout.SessionCreateParams.Locale {
  return locale === 'ru' || locale === 'en' ? locale : 'auto';
}

/** Stripe amounts are in the currency's smallest unit, like ours; its codes are lowercase. */
export function moneyFromStripe(amount: number, currency: string): Money {
  const code = currency.toUpperCase();
  if (!(CURRENCY_CODES as string[]).includes(code))
    // A 4xx-like refusal: the event carrying it cannot be booked, retrying will not help.
    throw new ProviderError(`Stripe reported an unsupported currency ${currency}`, 422);
  return { minor: amount, currency: code as Currency };
}

/** The slice of Stripe the service uses, through the official SDK. */
export class StripeGateway {
  readonly client: Stripe;
  /** Monthly gifts (Checkout in subscription mode, amount changes, cancellation). */
  readonly subscriptions: StripeSubscriptions;

  constructor(private readonly config: PaymentConfig['stripe']) {
    const { host, port, protocol } = config;
    this.client = new Stripe(config.secretKey, {
      ...(host ? { host } : {}),
      ...(port ? { port } : {}),
      ...(protocol ? { protocol } : {}),
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: 2,
      timeout: 20000,
    });
    this.subscriptions = new StripeSubscriptions(this.client);
  }

  /**
   * Verifies the Stripe-Signature header against the raw bytes; throws when it does not match
   * or was signed outside the tolerance. The SDK refuses only signatures older than the
   * tolerance (`now - t > tolerance`); one dated in the future passes it, so that side is
   * checked here: a replayed or forged-clock delivery is refused both ways.
   */
  verify(rawBody: Buffer, signature: string, now = Date.now()): StripeEvent {
    const tolerance = this.config.webhookToleranceSeconds;
    const event = this.client.webhooks.constructEvent(
      rawBody,
      signature,
      this.config.webhookSecret,
      tolerance,
      undefined,
      now,
    );
    const signedAt = Number(/(?:^|,)\s*t=(\d+)/.exec(signature)?.[1]);
    if (!Number.isFinite(signedAt) || signedAt - Math.floor(now / 1000) > tolerance)
      throw new Error('The Stripe-Signature timestamp is in the future beyond the tolerance.');
    return event;
  }

  async createCheckout(req: CheckoutRequest): Promise<CheckoutResult> {
    const metadata = { donationId: req.donationId, fund: req.fund };
    const session = await this.call(() =>
      this.client.checkout.sessions.create(
        {
          mode: 'payment',
          // Checkout's button reads "Donate" and the page speaks of a gift, not a purchase.
          submit_type: 'donate',
          locale: stripeLocale(req.locale),
          client_reference_id: req.donationId,
          ...(req.donorEmail ? { customer_email: req.donorEmail } : {}),
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: req.amount.currency.toLowerCase(),
                unit_amount: req.amount.minor,
                product_data: { name: req.description },
              },
            },
          ],
          metadata,
          payment_intent_data: { metadata },
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        // The donation id makes a retried create (after a timeout) return the same session.
        { idempotencyKey: `checkout-${req.donationId}` },
      ),
    );
    if (!session.url)
      throw new ProviderError('Stripe returned a Checkout Session without a URL', undefined);
    return { checkoutSessionId: session.id, redirectUrl: session.url };
  }

  /** Charge id and the fee Stripe kept (from the charge's balance transaction), when settled. */
  async paymentDetails(
    paymentIntentId: string,
  ): Promise<{ chargeId: string | null; fee: Money | null }> {
    const intent = await this.call(() =>
      this.client.paymentIntents.retrieve(paymentIntentId, {
        expand: ['latest_charge.balance_transaction'],
      }),
    );
    const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    const txn =
      charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
    return {
      chargeId:
        charge?.id ?? (typeof intent.latest_charge === 'string' ? intent.latest_charge : null),
      fee: txn ? moneyFromStripe(txn.fee, txn.currency) : null,
    };
  }

  async refund(
    paymentIntentId: string,
    amount: Money,
    idempotencyKey: string,
  ): Promise<ProviderRefund> {
    const refund = await this.call(() =>
      this.client.refunds.create(
        { payment_intent: paymentIntentId, amount: amount.minor },
        { idempotencyKey },
      ),
    );
    return { refundId: refund.id, amount: moneyFromStripe(refund.amount, refund.currency) };
  }

  async refundsOfCharge(chargeId: string): Promise<ProviderRefund[]> {
    const list = await this.call(() => this.client.refunds.list({ charge: chargeId, limit: 100 }));
    return list.data
      .filter((r) => r.status === 'succeeded' || r.status === 'pending')
      .map((r) => ({ refundId: r.id, amount: moneyFromStripe(r.amount, r.currency) }));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof Stripe.errors.StripeError) {
        throw new ProviderError(`Stripe: ${err.message}`, err.statusCode);
      }
      throw err;
    }
  }
}

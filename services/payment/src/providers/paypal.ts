import { parseMoney, toMajorString, type Currency, type Money } from '@bfi/money';
import paypal from '@paypal/checkout-server-sdk';
import type { PaymentConfig } from '../config';
import { PayPalSubscriptions } from './paypal-subscriptions';
import {
  ProviderError,
  type CheckoutRequest,
  type CheckoutResult,
  type DonorLocale,
  type ProviderRefund,
} from './types';

interface PayPalAmount {
  currency_code: string;
  value: string;
}

export interface PayPalCapture {
  id: string;
  status: string;
  amount: PayPalAmount;
  custom_id?: string;
  seller_receivable_breakdown?: { paypal_fee?: PayPalAmount };
}

export interface PayPalWebhookEvent {
  id: string;
  event_type: string;
  resource: Record<string, unknown>;
}

export function moneyFromPayPal(amount: PayPalAmount): Money {
  return parseMoney(amount.value, amount.currency_code as Currency);
}

function toPayPal(amount: Money): PayPalAmount {
  return { currency_code: amount.currency, value: toMajorString(amount) };
}

/**
 * PayPal's checkout language for the donor page's language. PayPal has Russian and English but
 * no Belarusian: a Belarusian page sends none, and PayPal uses the buyer's browser and account
 * languages (as Stripe's 'auto' does) rather than being told Russian.
 */
export function paypalLocale(locale: DonorLocale | null): string | undefined {
  if (locale === 'ru') return 'ru-RU';
  if (locale === 'en') return 'en-US';
  return undefined;
}

/** A JSON body the SDK must send byte for byte (its JSON serializer would re-serialize it). */
class RawJson {
  constructor(readonly bytes: Buffer) {}
}

/** The slice of PayPal REST the service uses, through @paypal/checkout-server-sdk. */
export class PayPalGateway {
  private readonly client: paypal.core.PayPalHttpClient;
  /** Monthly gifts (catalog product, plan per amount, subscription, revise, cancel). */
  readonly subscriptions: PayPalSubscriptions;

  constructor(private readonly config: PaymentConfig['paypal']) {
    const env = new paypal.core.PayPalEnvironment(
      config.clientId,
      config.clientSecret,
      config.baseUrl,
      config.webUrl,
    );
    this.client = new paypal.core.PayPalHttpClient(env);
    // The SDK serializes every JSON body with JSON.stringify; a RawJson body goes out as its
    // bytes, so verify-webhook-signature can carry the webhook event as the bytes PayPal signed.
    const { encoder } = this.client;
    const serialize = encoder.serializeRequest.bind(encoder);
    encoder.serializeRequest = (request) =>
      request.body instanceof RawJson ? request.body.bytes : serialize(request);
    this.subscriptions = new PayPalSubscriptions(this.client, config.brandName, (fn) =>
      this.call(fn),
    );
  }

  async createCheckout(req: CheckoutRequest): Promise<CheckoutResult> {
    const request = new paypal.orders.OrdersCreateRequest()
      .prefer('return=representation')
      .requestBody({
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: req.donationId,
            custom_id: req.donationId,
            description: req.description,
            amount: toPayPal(req.amount),
          },
        ],
        // experience_context replaces the deprecated application_context.
        payment_source: {
          paypal: {
            experience_context: {
              return_url: req.successUrl,
              cancel_url: req.cancelUrl,
              brand_name: this.config.brandName,
              ...(paypalLocale(req.locale) ? { locale: paypalLocale(req.locale) } : {}),
              user_action: 'PAY_NOW',
              shipping_preference: 'NO_SHIPPING',
            },
          },
        },
      });
    // The SDK has no setter for it on this request: PayPal-Request-Id makes a retried create idempotent.
    request.headers['PayPal-Request-Id'] = `order-${req.donationId}`;
    const res = await this.call(() =>
      this.client.execute<{ id: string; links: { rel: string; href: string }[] }>(request),
    );
    const approve = res.result.links.find((l) => l.rel === 'approve' || l.rel === 'payer-action');
    if (!approve)
      throw new ProviderError('PayPal returned an order without an approve link', undefined);
    return { orderId: res.result.id, redirectUrl: approve.href };
  }

  /** Captures an approved order; PayPal-Request-Id makes a repeated capture safe. */
  async capture(orderId: string): Promise<PayPalCapture> {
    const request = new paypal.orders.OrdersCaptureRequest(orderId)
      .payPalRequestId(`capture-${orderId}`)
      .prefer('return=representation');
    const res = await this.call(() =>
      this.client.execute<{ purchase_units: { payments?: { captures?: PayPalCapture[] } }[] }>(
        request,
      ),
    );
    const capture = res.result.purchase_units[0]?.payments?.captures?.[0];
    if (!capture) throw new ProviderError('PayPal returned no capture for the order', undefined);
    return capture;
  }

  async refund(captureId: string, amount: Money, requestId: string): Promise<ProviderRefund> {
    const request = new paypal.payments.CapturesRefundRequest(captureId)
      .payPalRequestId(requestId)
      .prefer('return=representation')
      .requestBody({ amount: toPayPal(amount) });
    const res = await this.call(() =>
      this.client.execute<{ id: string; amount?: PayPalAmount }>(request),
    );
    return {
      refundId: res.result.id,
      amount: res.result.amount ? moneyFromPayPal(res.result.amount) : amount,
    };
  }

  /**
   * Asks PayPal whether this delivery is genuine (verify-webhook-signature). PayPal's signature
   * covers a CRC32 of the exact bytes it sent, so `webhook_event` is those bytes, spliced into
   * the request as they are: re-serializing the parsed event (key order, spacing, `1.0` → `1`)
   * makes PayPal answer FAILURE for a genuine delivery.
   */
  async verify(headers: Record<string, string | undefined>, rawBody: Buffer): Promise<boolean> {
    const fields: Record<string, string | undefined> = {
      auth_algo: headers['paypal-auth-algo'],
      cert_url: headers['paypal-cert-url'],
      transmission_id: headers['paypal-transmission-id'],
      transmission_sig: headers['paypal-transmission-sig'],
      transmission_time: headers['paypal-transmission-time'],
      webhook_id: this.config.webhookId,
    };
    if (Object.values(fields).some((v) => !v)) return false;
    const head = Object.entries(fields)
      .map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`)
      .join(',');
    const body = new RawJson(
      Buffer.concat([Buffer.from(`{${head},"webhook_event":`), rawBody, Buffer.from('}')]),
    );
    const res = await this.call(() =>
      this.client.execute<{ verification_status: string }>({
        path: '/v1/notifications/verify-webhook-signature',
        verb: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      }),
    );
    return res.result.verification_status === 'SUCCESS';
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { statusCode?: number; message?: string };
      if (typeof e.statusCode === 'number')
        throw new ProviderError(`PayPal: ${describe(e.message)}`, e.statusCode);
      throw err;
    }
  }
}

function describe(text: string | undefined): string {
  try {
    const body = JSON.parse(text ?? '') as {
      message?: string;
      details?: { issue?: string; description?: string }[];
    };
    const detail = body.details?.[0];
    return detail
      ? `${detail.issue}: ${detail.description ?? body.message}`
      : (body.message ?? String(text));
  } catch {
    return String(text);
  }
}

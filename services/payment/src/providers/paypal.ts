import { parseMoney, toMajorString, type Currency, type Money } from '@bfi/money';
import paypal from '@paypal/checkout-server-sdk';
import type { PaymentConfig } from '../config';
import {
  ProviderError,
  type CheckoutRequest,
  type CheckoutResult,
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

/** The slice of PayPal REST the service uses, through @paypal/checkout-server-sdk. */
export class PayPalGateway {
  private readonly client: paypal.core.PayPalHttpClient;

  constructor(private readonly config: PaymentConfig['paypal']) {
    const env = new paypal.core.PayPalEnvironment(
      config.clientId,
      config.clientSecret,
      config.baseUrl,
      config.webUrl,
    );
    this.client = new paypal.core.PayPalHttpClient(env);
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
        application_context: {
          return_url: req.successUrl,
          cancel_url: req.cancelUrl,
          user_action: 'PAY_NOW',
          shipping_preference: 'NO_SHIPPING',
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

  /** Asks PayPal whether this delivery is genuine (verify-webhook-signature). */
  async verify(headers: Record<string, string | undefined>, event: unknown): Promise<boolean> {
    const needed = [
      'paypal-transmission-id',
      'paypal-transmission-sig',
      'paypal-transmission-time',
      'paypal-cert-url',
      'paypal-auth-algo',
    ];
    if (needed.some((h) => !headers[h])) return false;
    const res = await this.call(() =>
      this.client.execute<{ verification_status: string }>({
        path: '/v1/notifications/verify-webhook-signature',
        verb: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: {
          auth_algo: headers['paypal-auth-algo'],
          cert_url: headers['paypal-cert-url'],
          transmission_id: headers['paypal-transmission-id'],
          transmission_sig: headers['paypal-transmission-sig'],
          transmission_time: headers['paypal-transmission-time'],
          webhook_id: this.config.webhookId,
          webhook_event: event,
        },
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

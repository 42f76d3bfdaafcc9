import { fakeId, type Json } from './http-util';
import { toMajor, toMinor, PAYPAL_UNSUPPORTED_CURRENCIES } from './paypal-money';
import { PayPalStatement } from './paypal-statement';

export type PayPalEvent = Json & { id: string; event_type: string; resource: Json };

/** Orders v2, captures and refunds of the fake PayPal, and the webhook events they produce. */
export abstract class PayPalOrders extends PayPalStatement {
  readonly orders = new Map<string, Json & { id: string }>();
  readonly captures = new Map<string, Json & { id: string }>();
  readonly refunds = new Map<string, Json & { id: string }>();
  readonly events: PayPalEvent[] = [];
  protected readonly captureOutcome = new Map<string, 'COMPLETED' | 'DECLINED'>();

  constructor(protected readonly feeFor: (minor: number, currency: string) => number = defaultFee) {
    super();
  }

  abstract get url(): string;

  event(eventType: string, resourceType: string, resource: Json, summary: string): PayPalEvent {
    const event: PayPalEvent = {
      id: fakeId('WH-'),
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary,
      resource: structuredClone(resource),
      links: [],
    };
    this.events.push(event);
    return event;
  }

  protected createOrder(body: Json): [number, unknown] {
    const unit = (body.purchase_units as Json[] | undefined)?.[0];
    const amount = unit?.amount as { currency_code?: string; value?: string } | undefined;
    if (body.intent !== 'CAPTURE' || !amount?.currency_code || !amount.value) {
      return unprocessable(
        'MISSING_REQUIRED_PARAMETER',
        'intent CAPTURE and purchase_units[0].amount are required',
      );
    }
    if (PAYPAL_UNSUPPORTED_CURRENCIES.has(amount.currency_code)) {
      return unprocessable(
        'CURRENCY_NOT_SUPPORTED',
        `Currency code ${amount.currency_code} is not currently supported.`,
      );
    }
    if (toMinor(amount.value, amount.currency_code) === null) {
      return unprocessable(
        'DECIMAL_PRECISION',
        `amount.value ${amount.value} is not valid for ${amount.currency_code}`,
      );
    }
    const context = experienceOf(body);
    if (typeof context === 'string') return unprocessable('INVALID_PARAMETER_VALUE', context);
    const id = fakeId('').toUpperCase().slice(0, 17);
    // With payment_source.paypal the order waits for the payer (PAYER_ACTION_REQUIRED, link
    // rel "payer-action"); the deprecated application_context gives CREATED and rel "approve".
    const modern = Boolean(paypalSource(body));
    const order = {
      id,
      intent: 'CAPTURE',
      status: modern ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      purchase_units: [
        {
          reference_id: unit!.reference_id ?? 'default',
          custom_id: unit!.custom_id,
          description: unit!.description,
          amount,
        },
      ],
      experience_context: context,
      ...(modern ? { payment_source: { paypal: {} } } : {}),
      create_time: new Date().toISOString(),
      links: [
        { href: `${this.url}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        {
          href: `${this.url}/checkoutnow?token=${id}`,
          rel: modern ? 'payer-action' : 'approve',
          method: 'GET',
        },
        { href: `${this.url}/v2/checkout/orders/${id}/capture`, rel: 'capture', method: 'POST' },
      ],
    };
    this.orders.set(id, order);
    return [201, { id, status: order.status, links: order.links }];
  }

  protected getOrder(id: string): [number, unknown] {
    const order = this.orders.get(id);
    return order ? [200, this.publicOrder(order)] : notFoundError(id);
  }

  /** The order as GET shows it: the experience context is a create parameter, not shown back. */
  protected publicOrder(order: Json): Json {
    const { experience_context: _omit, ...rest } = order;
    return rest;
  }

  /** Where the donor goes back to from the hosted page, from either way of asking. */
  protected contextOf(order: Json): { return_url?: string; cancel_url?: string } {
    return (order.experience_context ?? order.application_context ?? {}) as Json;
  }

  protected capture(orderId: string): [number, unknown, PayPalEvent?] {
    const order = this.orders.get(orderId);
    if (!order) return notFoundError(orderId);
    if (order.status === 'COMPLETED')
      return unprocessable('ORDER_ALREADY_CAPTURED', 'Order already captured.');
    if (order.status !== 'APPROVED')
      return unprocessable(
        'ORDER_NOT_APPROVED',
        'Payer has not yet approved the Order for payment.',
      );
    const unit = (order.purchase_units as Json[])[0]!;
    const amount = unit.amount as { currency_code: string; value: string };
    const outcome = this.captureOutcome.get(orderId) ?? 'COMPLETED';
    const minor = toMinor(amount.value, amount.currency_code)!;
    const fee = this.feeFor(minor, amount.currency_code);
    const capture: Json & { id: string } = {
      id: fakeId('CAP').toUpperCase().slice(0, 17),
      status: outcome,
      amount,
      final_capture: true,
      custom_id: unit.custom_id,
      supplementary_data: { related_ids: { order_id: orderId } },
      create_time: new Date().toISOString(),
      links: [{ href: `${this.url}/v2/checkout/orders/${orderId}`, rel: 'up', method: 'GET' }],
      ...(outcome === 'COMPLETED'
        ? {
            seller_receivable_breakdown: {
              gross_amount: amount,
              paypal_fee: {
                currency_code: amount.currency_code,
                value: toMajor(fee, amount.currency_code),
              },
              net_amount: {
                currency_code: amount.currency_code,
                value: toMajor(minor - fee, amount.currency_code),
              },
            },
          }
        : { status_details: { reason: 'DECLINED_BY_RISK_FRAUD_FILTERS' } }),
    };
    this.captures.set(capture.id, capture);
    if (outcome === 'COMPLETED') {
      this.addTransaction({
        transaction_id: capture.id,
        transaction_event_code: 'T0006',
        amount: minor,
        fee,
        currency: amount.currency_code,
        custom_field: unit.custom_id as string | undefined,
      });
    }
    unit.payments = { captures: [capture] };
    order.status = outcome === 'COMPLETED' ? 'COMPLETED' : 'APPROVED';
    const type = outcome === 'COMPLETED' ? 'PAYMENT.CAPTURE.COMPLETED' : 'PAYMENT.CAPTURE.DENIED';
    const event = this.event(type, 'capture', capture, `Payment ${outcome.toLowerCase()}`);
    return [201, this.publicOrder(order), event];
  }

  protected refund(captureId: string, body: Json): [number, unknown, PayPalEvent?] {
    const capture = this.captures.get(captureId);
    if (!capture) return notFoundError(captureId);
    if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED') {
      return unprocessable(
        'CAPTURE_FULLY_REFUNDED',
        'The capture has already been fully refunded or is not completed.',
      );
    }
    const captured = capture.amount as { currency_code: string; value: string };
    const already = this.refundedMinor(captureId, captured.currency_code);
    const total = toMinor(captured.value, captured.currency_code)!;
    const minor = refundAmount(body, captured.currency_code, total - already);
    if (minor === null) {
      return unprocessable(
        'REFUND_AMOUNT_EXCEEDED',
        'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
      );
    }
    const refund = this.recordRefund(capture, minor, captured.currency_code);
    capture.status = already + minor === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    // capture_id is the fake's own bookkeeping; PayPal's refund resource links the capture (`up`).
    const { capture_id: _c, ...resource } = refund;
    const event = this.event(
      'PAYMENT.CAPTURE.REFUNDED',
      'refund',
      resource,
      'A payment was refunded',
    );
    return [201, resource, event];
  }

  /** What the earlier refunds of a capture took back, in minor units of its currency. */
  private refundedMinor(captureId: string, currency: string): number {
    return [...this.refunds.values()]
      .filter((r) => r.capture_id === captureId)
      .reduce((sum, r) => sum + toMinor((r.amount as { value: string }).value, currency)!, 0);
  }

  /** A completed refund of `minor` off the capture, kept and booked on the statement (T1107). */
  private recordRefund(
    capture: Json & { id: string },
    minor: number,
    currency: string,
  ): Json & { id: string; capture_id: string } {
    const captureId = capture.id;
    const refund = {
      id: fakeId('RF').toUpperCase().slice(0, 17),
      status: 'COMPLETED',
      amount: { currency_code: currency, value: toMajor(minor, currency) },
      capture_id: captureId,
      custom_id: capture.custom_id,
      create_time: new Date().toISOString(),
      links: [
        { href: `${this.url}/v2/payments/refunds/REFUND`, rel: 'self', method: 'GET' },
        { href: `${this.url}/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' },
      ],
    };
    this.refunds.set(refund.id, refund);
    this.addTransaction({
      transaction_id: refund.id,
      transaction_event_code: 'T1107',
      amount: -minor,
      currency,
      reference_id: captureId,
    });
    return refund;
  }

  protected mustGet<T>(map: Map<string, T>, id: string): T {
    const found = map.get(id);
    if (!found) throw new Error(`FakePayPal: no such object ${id}`);
    return found;
  }
}

function paypalSource(body: Json): Json | undefined {
  return ((body.payment_source as Json | undefined)?.paypal ?? undefined) as Json | undefined;
}

const USER_ACTIONS = ['CONTINUE', 'PAY_NOW'];
const SHIPPING = ['GET_FROM_FILE', 'NO_SHIPPING', 'SET_PROVIDED_ADDRESS'];
/** PayPal's pattern for a locale: a BCP 47 language with an optional script and region. */
const LOCALE = /^[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$/;

/**
 * payment_source.paypal.experience_context (what PayPal documents now), else the deprecated
 * application_context (still accepted, as PayPal does); a string says what is wrong with it.
 */
function experienceOf(body: Json): Json | string {
  const context = (paypalSource(body)?.experience_context ??
    body.application_context ??
    {}) as Json;
  const { user_action, shipping_preference, locale, brand_name } = context;
  if (user_action !== undefined && !USER_ACTIONS.includes(String(user_action)))
    return `user_action ${String(user_action)} is not one of ${USER_ACTIONS.join(', ')}`;
  if (shipping_preference !== undefined && !SHIPPING.includes(String(shipping_preference)))
    return `shipping_preference ${String(shipping_preference)} is not one of ${SHIPPING.join(', ')}`;
  if (locale !== undefined && !LOCALE.test(String(locale)))
    return `locale ${String(locale)} does not match the pattern of a BCP 47 locale such as en-US`;
  if (brand_name !== undefined && (typeof brand_name !== 'string' || brand_name.length > 127))
    return 'brand_name must be a string of at most 127 characters';
  return context;
}

/**
 * The refund asked for in minor units (no amount: all that is left), or null when PayPal refuses
 * it: not a valid amount, nothing or more than is left, or another currency than the capture's.
 */
function refundAmount(body: Json, currency: string, refundable: number): number | null {
  const requested = body.amount as { value: string; currency_code: string } | undefined;
  const minor = requested ? toMinor(requested.value, requested.currency_code) : refundable;
  if (
    minor === null ||
    minor <= 0 ||
    minor > refundable ||
    (requested && requested.currency_code !== currency)
  ) {
    return null;
  }
  return minor;
}

function defaultFee(minor: number): number {
  return Math.round(minor * 0.0349) + 49;
}

function unprocessable(issue: string, description: string): [number, unknown] {
  return [
    422,
    {
      name: 'UNPROCESSABLE_ENTITY',
      message:
        'The requested action could not be performed, semantically incorrect, or failed business validation.',
      details: [{ issue, description }],
    },
  ];
}

export function notFoundError(id: string): [number, unknown] {
  return [
    404,
    {
      name: 'RESOURCE_NOT_FOUND',
      message: 'The specified resource does not exist.',
      details: [
        {
          issue: 'INVALID_RESOURCE_ID',
          description: `Specified resource ID ${id} does not exist.`,
        },
      ],
    },
  ];
}

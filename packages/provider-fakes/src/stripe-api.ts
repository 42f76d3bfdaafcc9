import type { Json } from './http-util';
import { fakeId } from './http-util';
import { StripeBilling } from './stripe-billing';
import {
  apiError,
  CHECKOUT_LOCALES,
  now,
  type StripeEvent,
  type StripeObject,
} from './stripe-state';

const SUBMIT_TYPES = ['auto', 'book', 'donate', 'pay', 'subscribe'];

/** The REST endpoints of the fake Stripe the payment service calls (/v1/...), as pure answers. */
export abstract class StripeApi extends StripeBilling {
  abstract get url(): string;

  /** Events an API call produced, sent to the webhook once the call has been answered. */
  protected readonly produced: StripeEvent[] = [];

  protected api(method: string, path: string[], body: Json): [number, unknown] {
    const [resource, a, b] = path;
    const billing = this.billingApi(method, path, body);
    if (billing) {
      this.produced.push(...billing[2]);
      return [billing[0], billing[1]];
    }
    if (resource === 'checkout' && a === 'sessions') {
      if (method === 'POST' && !b) return this.createSession(body);
      if (method === 'GET' && b && !path[3]) return this.found(this.sessions, b, body);
      if (method === 'POST' && b && path[3] === 'expire') return this.expireSession(b);
    }
    if (resource === 'refunds' && !a) {
      if (method === 'POST') return this.createRefund(body);
      if (method === 'GET') return this.listRefunds(body);
    }
    if (method === 'GET' && resource === 'balance_transactions') {
      if (a) return this.found(this.balanceTransactions, a, body);
      return this.listBalanceTransactions(body);
    }
    if (method === 'GET' && resource === 'payouts') {
      if (a) return this.found(this.payouts, a, body);
      return this.listPayouts(body);
    }
    if (method === 'GET' && resource === 'payment_intents' && a)
      return this.found(this.paymentIntents, a, body);
    if (method === 'GET' && resource === 'charges' && a) return this.found(this.charges, a, body);
    return [404, apiError(`Unrecognized request URL (${method}: /v1/${path.join('/')}).`)];
  }

  protected createSession(body: Json): [number, unknown] {
    const item = (body.line_items as Json[] | undefined)?.[0];
    const price = item?.price_data as Json | undefined;
    const amount = Number(price?.unit_amount) * Number(item?.quantity ?? 1);
    if (!price || !Number.isInteger(amount) || amount <= 0) {
      return [
        400,
        apiError(
          'line_items[0][price_data][unit_amount] must be a positive integer',
          'invalid_request_error',
          'parameter_invalid_integer',
        ),
      ];
    }
    if (!body.success_url)
      return [
        400,
        apiError(
          'Missing required param: success_url.',
          'invalid_request_error',
          'parameter_missing',
        ),
      ];
    const refusal = this.sessionParamsRefusal(body);
    if (refusal) return [400, refusal];
    const recurring = this.recurringPrice(body, price);
    if (typeof recurring === 'string') return [400, apiError(recurring)];
    const id = fakeId('cs_test_');
    const session: StripeObject = {
      id,
      object: 'checkout.session',
      mode: body.mode ?? 'payment',
      submit_type: body.submit_type ?? null,
      locale: body.locale ?? null,
      amount_total: amount,
      amount_subtotal: amount,
      currency: String(price.currency).toLowerCase(),
      client_reference_id: body.client_reference_id ?? null,
      customer_email: body.customer_email ?? null,
      metadata: body.metadata ?? {},
      payment_intent_data: body.payment_intent_data ?? null,
      subscription_data: body.subscription_data ?? null,
      price: recurring?.id ?? null,
      payment_intent: null,
      subscription: null,
      customer: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: body.success_url,
      cancel_url: body.cancel_url ?? null,
      url: `${this.url}/checkout/${id}`,
      created: now(),
      expires_at: now() + 24 * 3600,
      livemode: false,
    };
    this.sessions.set(id, session);
    return [200, this.publicSession(session)];
  }

  /**
   * Subscription mode needs a recurring price (its Price is created now, with its product, as
   * Stripe does for inline price_data) and refuses what only payment mode takes.
   */
  private recurringPrice(body: Json, price: Json): StripeObject | string | null {
    const mode = body.mode ?? 'payment';
    if (mode !== 'subscription') {
      if (price.recurring) return 'You specified `payment` mode but passed a recurring price.';
      return null;
    }
    if (body.payment_intent_data)
      return 'You can not pass `payment_intent_data` in `subscription` mode.';
    if (body.submit_type) return '`submit_type` can only be used in `payment` mode.';
    return this.createPrice(price);
  }

  /** Stripe's checks of the parameters the fake reads besides the line item. */
  private sessionParamsRefusal(body: Json): Json | null {
    if (body.locale !== undefined && !CHECKOUT_LOCALES.has(String(body.locale)))
      return apiError(
        `Invalid locale: ${String(body.locale)}. Must be one of ${[...CHECKOUT_LOCALES].join(', ')}`,
        'invalid_request_error',
        'parameter_invalid_string',
      );
    if (body.submit_type !== undefined && !SUBMIT_TYPES.includes(String(body.submit_type)))
      return apiError(
        `Invalid submit_type: must be one of ${SUBMIT_TYPES.join(', ')}`,
        'invalid_request_error',
        'parameter_invalid_string',
      );
    return null;
  }

  /**
   * Closes an open session unpaid (POST /v1/checkout/sessions/:id/expire, or its expires_at
   * passing): status expired, no URL, and Stripe sends checkout.session.expired.
   */
  protected expireSession(id: string): [number, unknown] {
    const session = this.sessions.get(id);
    if (!session)
      return [
        404,
        apiError(`No such checkout.session: '${id}'`, 'invalid_request_error', 'resource_missing'),
      ];
    if (session.status !== 'open')
      return [
        400,
        apiError(
          `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
          'invalid_request_error',
          'checkout_session_not_open',
        ),
      ];
    Object.assign(session, { status: 'expired', url: null });
    this.produced.push(this.event('checkout.session.expired', session));
    return [200, this.publicSession(session)];
  }

  protected createRefund(body: Json): [number, unknown] {
    const intent =
      typeof body.payment_intent === 'string'
        ? this.paymentIntents.get(body.payment_intent)
        : undefined;
    const chargeId =
      (body.charge as string | undefined) ?? (intent?.latest_charge as string | undefined);
    const charge = chargeId ? this.charges.get(chargeId) : undefined;
    if (!charge)
      return [
        400,
        apiError(
          'This PaymentIntent does not have a successful charge to refund.',
          'invalid_request_error',
          'charge_not_refundable',
        ),
      ];
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    const amount = body.amount === undefined ? remaining : Number(body.amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > remaining) {
      return [
        400,
        apiError(
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
          'invalid_request_error',
          'amount_too_large',
        ),
      ];
    }
    const refund: StripeObject = {
      id: fakeId('re_'),
      object: 'refund',
      amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: charge.payment_intent,
      reason: body.reason ?? null,
      metadata: body.metadata ?? {},
      status: 'succeeded',
      created: now(),
    };
    refund.balance_transaction = this.addBalanceTransaction({
      amount: -amount,
      currency: charge.currency as string,
      type: 'refund',
      reporting_category: 'refund',
      source: refund.id,
      description: 'REFUND FOR CHARGE',
    }).id;
    this.refunds.set(refund.id, refund);
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return [200, refund];
  }

  protected listRefunds(query: Json): [number, unknown] {
    const data = [...this.refunds.values()].filter(
      (r) =>
        (!query.charge || r.charge === query.charge) &&
        (!query.payment_intent || r.payment_intent === query.payment_intent),
    );
    return [200, { object: 'list', data: data.reverse(), has_more: false, url: '/v1/refunds' }];
  }

  protected found(map: Map<string, StripeObject>, id: string, query: Json): [number, unknown] {
    const object = map.get(id);
    if (!object)
      return [
        404,
        apiError(`No such object: '${id}'`, 'invalid_request_error', 'resource_missing'),
      ];
    const result = map === this.sessions ? this.publicSession(object) : object;
    return [200, this.expand(result, (query.expand as string[] | undefined) ?? [])];
  }

  protected listBalanceTransactions(query: Json): [number, unknown] {
    const payout = query.payout as string | undefined;
    if (payout && !this.payouts.has(payout))
      return [
        404,
        apiError(`No such payout: '${payout}'`, 'invalid_request_error', 'resource_missing'),
      ];
    const items = [...this.balanceTransactions.values()].filter(
      (t) =>
        inRange(t.created as number, query.created) &&
        (!payout || this.payoutOf.get(t.id) === payout) &&
        (!query.type || t.type === query.type) &&
        (!query.currency || t.currency === query.currency) &&
        (!query.source || t.source === query.source),
    );
    return this.page(items, query, '/v1/balance_transactions');
  }

  protected listPayouts(query: Json): [number, unknown] {
    const items = [...this.payouts.values()].filter(
      (p) =>
        inRange(p.created as number, query.created) &&
        inRange(p.arrival_date as number, query.arrival_date) &&
        (!query.status || p.status === query.status),
    );
    return this.page(items, query, '/v1/payouts');
  }

  /** Stripe list semantics: newest first, `limit` (1–100, default 10), `starting_after` cursor. */
  protected page(items: StripeObject[], query: Json, url: string): [number, unknown] {
    const limit = query.limit === undefined ? 10 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return [
        400,
        apiError(
          'Invalid integer: limit must be between 1 and 100',
          'invalid_request_error',
          'parameter_invalid_integer',
        ),
      ];
    const sorted = items.sort(
      (a, b) =>
        (b.created as number) - (a.created as number) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    let start = 0;
    if (typeof query.starting_after === 'string') {
      const at = sorted.findIndex((t) => t.id === query.starting_after);
      if (at < 0)
        return [
          400,
          apiError(
            `No such object: '${query.starting_after}'`,
            'invalid_request_error',
            'resource_missing',
          ),
        ];
      start = at + 1;
    }
    const data = sorted.slice(start, start + limit);
    return [200, { object: 'list', data, has_more: start + limit < sorted.length, url }];
  }
}

/** `created[gte]=…&created[lt]=…` (or a plain timestamp) against a value. */
function inRange(value: number, filter: unknown): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return value === Number(filter);
  const f = filter as Record<string, string>;
  return (
    (f.gte === undefined || value >= Number(f.gte)) &&
    (f.gt === undefined || value > Number(f.gt)) &&
    (f.lte === undefined || value <= Number(f.lte)) &&
    (f.lt === undefined || value < Number(f.lt))
  );
}

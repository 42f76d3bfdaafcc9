import { fakeId, type Json } from './http-util';
import { apiError, now, StripeState, type StripeEvent, type StripeObject } from './stripe-state';

export type Answer = [number, unknown];

const PRORATION = ['none', 'create_prorations', 'always_invoice'];

/** One calendar month later (Stripe bills monthly on the anchor's day). */
export function nextMonth(unix: number): number {
  const d = new Date(unix * 1000);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return Math.floor(d.getTime() / 1000);
}

const missing = (what: string, id: string): Answer => [
  404,
  apiError(`No such ${what}: '${id}'`, 'invalid_request_error', 'resource_missing'),
];

/**
 * Stripe Billing as far as monthly gifts use it: customers, products and prices (inline
 * price_data), subscriptions with one item, invoices charged through payment intents (each
 * invoice's payment listed as an invoice_payment, as API versions since basil do), and a clock
 * that moves a subscription to its next period and charges it.
 */
export class StripeBilling extends StripeState {
  readonly customers = new Map<string, StripeObject>();
  readonly products = new Map<string, StripeObject>();
  readonly prices = new Map<string, StripeObject>();
  readonly subscriptions = new Map<string, StripeObject>();
  readonly invoices = new Map<string, StripeObject>();
  readonly invoicePayments = new Map<string, StripeObject>();
  /** Makes the next charge of this subscription decline (then the one after succeeds). */
  readonly declineNext = new Set<string>();
  /** The payment intent of each invoice (an invoice names it only through its invoice_payment). */
  readonly intentOfInvoice = new Map<string, string>();

  protected createPrice(data: Json, product?: string): StripeObject | string {
    const amount = Number(data.unit_amount);
    const recurring = data.recurring as Json | undefined;
    if (!Number.isInteger(amount) || amount <= 0)
      return 'price_data[unit_amount] must be a positive integer';
    if (!recurring || !['day', 'week', 'month', 'year'].includes(String(recurring.interval)))
      return 'price_data[recurring][interval] is required for a subscription';
    let productId = product ?? (data.product as string | undefined);
    if (!productId) {
      const name = (data.product_data as Json | undefined)?.name;
      if (!name) return 'price_data needs product or product_data[name]';
      const created: StripeObject = {
        id: fakeId('prod_'),
        object: 'product',
        name,
        active: true,
        created: now(),
      };
      this.products.set(created.id, created);
      productId = created.id;
    }
    if (!this.products.has(productId)) return `No such product: '${productId}'`;
    const price: StripeObject = {
      id: fakeId('price_'),
      object: 'price',
      active: true,
      currency: String(data.currency).toLowerCase(),
      unit_amount: amount,
      product: productId,
      recurring: {
        interval: recurring.interval,
        interval_count: Number(recurring.interval_count ?? 1),
      },
      type: 'recurring',
      created: now(),
    };
    this.prices.set(price.id, price);
    return price;
  }

  /** The donor completed a Checkout Session in subscription mode: customer, subscription, first invoice. */
  protected startSubscription(session: StripeObject): StripeEvent[] {
    const customer: StripeObject = {
      id: fakeId('cus_'),
      object: 'customer',
      email: session.customer_email ?? null,
      created: now(),
    };
    this.customers.set(customer.id, customer);
    const price = this.mustGet(this.prices, session.price as string);
    const start = now();
    const sub: StripeObject = {
      id: fakeId('sub_'),
      object: 'subscription',
      status: 'active',
      customer: customer.id,
      currency: price.currency,
      metadata: (session.subscription_data as Json | undefined)?.metadata ?? {},
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      start_date: start,
      billing_cycle_anchor: start,
      latest_invoice: null,
      items: {
        object: 'list',
        data: [
          {
            id: fakeId('si_'),
            object: 'subscription_item',
            price,
            quantity: 1,
            current_period_start: start,
            current_period_end: nextMonth(start),
          },
        ],
      },
      created: start,
      livemode: false,
    };
    this.subscriptions.set(sub.id, sub);
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      customer: customer.id,
      subscription: sub.id,
    });
    const events = [this.event('customer.subscription.created', sub)];
    events.push(...this.chargeInvoice(sub, 'subscription_create'));
    events.unshift(this.event('checkout.session.completed', session));
    return events;
  }

  /** Bills the subscription's current period: paid (invoice.paid) or declined (past_due). */
  protected chargeInvoice(sub: StripeObject, reason: string): StripeEvent[] {
    const item = this.itemOf(sub);
    const price = item.price as StripeObject;
    const amount = price.unit_amount as number;
    const currency = price.currency as string;
    const invoice: StripeObject = {
      id: fakeId('in_'),
      object: 'invoice',
      customer: sub.customer,
      currency,
      amount_due: amount,
      amount_paid: 0,
      amount_remaining: amount,
      attempt_count: 0,
      billing_reason: reason,
      status: 'open',
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: structuredClone(sub.metadata) },
      },
      lines: {
        object: 'list',
        data: [
          {
            id: fakeId('il_'),
            object: 'line_item',
            amount,
            currency,
            period: { start: item.current_period_start, end: item.current_period_end },
            pricing: {
              type: 'price_details',
              price_details: { price: price.id, product: price.product },
            },
          },
        ],
      },
      period_start: item.current_period_start,
      period_end: item.current_period_end,
      created: now(),
      livemode: false,
    };
    this.invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    return this.attemptInvoice(invoice);
  }

  /** One payment attempt of an open invoice (the first, a retry, or POST /v1/invoices/:id/pay). */
  protected attemptInvoice(invoice: StripeObject): StripeEvent[] {
    const subId = (invoice.parent as Json & { subscription_details: Json }).subscription_details
      .subscription as string;
    const sub = this.mustGet(this.subscriptions, subId);
    const amount = invoice.amount_due as number;
    const currency = invoice.currency as string;
    const holder: StripeObject = {
      id: invoice.id,
      payment_intent: this.intentOfInvoice.get(invoice.id) ?? null,
    };
    const intent = this.ensureIntent(
      holder,
      amount,
      currency,
      structuredClone(sub.metadata as Json),
    );
    this.intentOfInvoice.set(invoice.id, intent.id);
    invoice.attempt_count = (invoice.attempt_count as number) + 1;
    const events: StripeEvent[] = [];
    if (this.declineNext.delete(sub.id)) {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = { code: 'card_declined', message: 'Your card was declined.' };
      sub.status = 'past_due';
      events.push(this.event('invoice.payment_failed', invoice));
      events.push(this.event('customer.subscription.updated', sub));
      return events;
    }
    const charge = this.createCharge(intent, amount, currency);
    Object.assign(intent, {
      status: 'succeeded',
      latest_charge: charge.id,
      amount_received: amount,
    });
    Object.assign(invoice, { status: 'paid', amount_paid: amount, amount_remaining: 0 });
    const payment: StripeObject = {
      id: fakeId('inpay_'),
      object: 'invoice_payment',
      amount_paid: amount,
      amount_requested: amount,
      currency,
      invoice: invoice.id,
      is_default: true,
      payment: { type: 'payment_intent', payment_intent: intent.id },
      status: 'paid',
      status_transitions: { paid_at: now(), canceled_at: null },
      created: now(),
      livemode: false,
    };
    this.invoicePayments.set(payment.id, payment);
    const wasPastDue = sub.status === 'past_due';
    sub.status = 'active';
    events.push(this.event('invoice.paid', invoice));
    if (wasPastDue) events.push(this.event('customer.subscription.updated', sub));
    return events;
  }

  /**
   * Stripe's clock reaches the end of the subscription's period: the next period starts and
   * is charged. A cancelled subscription is not charged again (no events).
   */
  protected advanceSubscription(id: string): [number, unknown, StripeEvent[]] {
    const sub = this.subscriptions.get(id);
    if (!sub) return [...missing('subscription', id), []];
    if (sub.status === 'canceled') return [200, sub, []];
    const item = this.itemOf(sub);
    item.current_period_start = item.current_period_end;
    item.current_period_end = nextMonth(item.current_period_end as number);
    return [200, sub, this.chargeInvoice(sub, 'subscription_cycle')];
  }

  protected billingApi(
    method: string,
    path: string[],
    body: Json,
  ): [number, unknown, StripeEvent[]] | null {
    const [resource, id, action] = path;
    const plain = (a: Answer): [number, unknown, StripeEvent[]] => [a[0], a[1], []];
    if (resource === 'subscriptions' && id) {
      if (method === 'GET' && !action)
        return plain(this.foundIn(this.subscriptions, 'subscription', id));
      if (method === 'POST' && !action) return this.updateSubscription(id, body);
      if (method === 'DELETE' && !action) return this.cancelSubscription(id);
    }
    if (
      resource === 'test_helpers' &&
      id === 'subscriptions' &&
      action &&
      path[3] === 'advance' &&
      method === 'POST'
    )
      return this.advanceSubscription(action);
    if (resource === 'invoices' && id) {
      if (method === 'GET' && !action) return plain(this.foundIn(this.invoices, 'invoice', id));
      if (method === 'POST' && action === 'pay') return this.payInvoice(id);
    }
    if (resource === 'invoice_payments' && !id && method === 'GET') {
      const data = [...this.invoicePayments.values()].filter(
        (p) => !body.invoice || p.invoice === body.invoice,
      );
      return [200, { object: 'list', data, has_more: false, url: '/v1/invoice_payments' }, []];
    }
    if (method === 'GET' && resource === 'customers' && id)
      return plain(this.foundIn(this.customers, 'customer', id));
    if (method === 'GET' && resource === 'products' && id)
      return plain(this.foundIn(this.products, 'product', id));
    return null;
  }

  private payInvoice(id: string): [number, unknown, StripeEvent[]] {
    const invoice = this.invoices.get(id);
    if (!invoice) return [...missing('invoice', id), []];
    if (invoice.status !== 'open')
      return [
        400,
        apiError('Invoice is already paid', 'invalid_request_error', 'invoice_not_open'),
        [],
      ];
    const events = this.attemptInvoice(invoice);
    if ((invoice as Json).status !== 'paid')
      return [402, apiError('Your card was declined.', 'card_error', 'card_declined'), events];
    return [200, invoice, events];
  }

  private updateSubscription(id: string, body: Json): [number, unknown, StripeEvent[]] {
    const sub = this.subscriptions.get(id);
    if (!sub) return [...missing('subscription', id), []];
    if (sub.status === 'canceled')
      return [
        400,
        apiError('A canceled subscription can only update its cancellation_details and metadata.'),
        [],
      ];
    if (
      body.proration_behavior !== undefined &&
      !PRORATION.includes(String(body.proration_behavior))
    )
      return [
        400,
        apiError(`Invalid proration_behavior: must be one of ${PRORATION.join(', ')}`),
        [],
      ];
    const previous: Json = {};
    const change = (body.items as Json[] | undefined)?.[0];
    if (change) {
      const item = this.itemOf(sub);
      if (change.id !== item.id) return [...missing('subscription_item', String(change.id)), []];
      const data = change.price_data as Json | undefined;
      if (!data || data.product_data)
        return [400, apiError('items[0][price_data][product] is required'), []];
      const price = this.createPrice(data);
      if (typeof price === 'string') return [400, apiError(price), []];
      previous.items = structuredClone(sub.items);
      item.price = price;
    }
    if (body.metadata) {
      previous.metadata = structuredClone(sub.metadata);
      sub.metadata = { ...(sub.metadata as Json), ...(body.metadata as Json) };
    }
    const event = this.event('customer.subscription.updated', sub);
    (event.data as Json).previous_attributes = previous;
    return [200, sub, [event]];
  }

  private cancelSubscription(id: string): [number, unknown, StripeEvent[]] {
    const sub = this.subscriptions.get(id);
    if (!sub) return [...missing('subscription', id), []];
    if (sub.status === 'canceled')
      return [
        400,
        apiError(
          `This subscription is already canceled: ${id}`,
          'invalid_request_error',
          'resource_missing',
        ),
        [],
      ];
    Object.assign(sub, { status: 'canceled', canceled_at: now(), ended_at: now() });
    return [200, sub, [this.event('customer.subscription.deleted', sub)]];
  }

  protected itemOf(sub: StripeObject): Json {
    return ((sub.items as Json).data as Json[])[0]!;
  }

  private foundIn(map: Map<string, StripeObject>, what: string, id: string): Answer {
    const object = map.get(id);
    return object ? [200, object] : missing(what, id);
  }
}

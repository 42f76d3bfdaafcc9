import type { ServerResponse } from 'node:http';
import { escapeHtml, fakeId, redirect, sendHtml, type FakeRequest, type Json } from './http-util';
import { PAYPAL_UNSUPPORTED_CURRENCIES, toMajor, toMinor } from './paypal-money';
import { notFoundError, PayPalOrders, type PayPalEvent } from './paypal-orders';

type Answer = [number, unknown, PayPalEvent?];
type Obj = Json & { id: string };
type Price = { value: string; currency_code: string };

const invalid = (issue: string, description: string): Answer => [
  422,
  {
    name: 'UNPROCESSABLE_ENTITY',
    message:
      'The requested action could not be performed, semantically incorrect, or failed business validation.',
    details: [{ issue, description }],
  },
];

function nextMonth(iso: string): string {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString();
}

/**
 * PayPal's Subscriptions API as monthly gifts use it: catalog products, billing plans (the
 * price lives on the plan), subscriptions approved by the buyer, revised to another plan,
 * cancelled; each charge a sale (PAYMENT.SALE.COMPLETED), a declined one
 * BILLING.SUBSCRIPTION.PAYMENT.FAILED, and a clock that bills the next cycle.
 */
export abstract class PayPalBilling extends PayPalOrders {
  readonly products = new Map<string, Obj>();
  readonly plans = new Map<string, Obj>();
  readonly subscriptions = new Map<string, Obj>();
  readonly sales = new Map<string, Obj>();
  /** The subscription's next charge declines (one attempt). */
  readonly declineNext = new Set<string>();

  protected billingApi(method: string, path: string[], body: Json): Answer | null {
    const [version, area, kind, id, action] = path;
    if (method === 'POST' && version === 'v1' && area === 'catalogs' && kind === 'products' && !id)
      return this.createProduct(body);
    if (
      version === 'v1' &&
      area === 'payments' &&
      kind === 'sale' &&
      id &&
      action === 'refund' &&
      method === 'POST'
    )
      return this.refundSale(id, body);
    // Fake-only (PayPal has no such endpoint): the clock bills the subscription's next cycle.
    if (
      method === 'POST' &&
      version === 'v1' &&
      area === 'test-helpers' &&
      kind === 'subscriptions' &&
      id &&
      action === 'advance'
    )
      return this.advanceOverHttp(id);
    if (version !== 'v1' || area !== 'billing') return null;
    if (kind === 'plans' && method === 'POST' && !id) return this.createPlan(body);
    if (kind === 'plans' && method === 'GET' && id) return this.found(this.plans, id);
    if (kind !== 'subscriptions') return null;
    if (method === 'POST' && !id) return this.createSubscription(body);
    if (method === 'GET' && id && !action) return this.found(this.subscriptions, id);
    if (method === 'POST' && id && action === 'revise') return this.revise(id, body);
    if (method === 'POST' && id && action === 'cancel') return this.cancelSubscription(id, body);
    return null;
  }

  private found(map: Map<string, Obj>, id: string): Answer {
    const hit = map.get(id);
    return hit ? [200, hit] : notFoundError(id);
  }

  private createProduct(body: Json): Answer {
    if (!body.name || !body.type)
      return invalid('MISSING_REQUIRED_PARAMETER', 'name and type are required');
    const product: Obj = {
      id: fakeId('PROD-').toUpperCase().slice(0, 22),
      ...body,
      create_time: new Date().toISOString(),
    };
    this.products.set(product.id, product);
    return [201, product];
  }

  private createPlan(body: Json): Answer {
    if (!this.products.has(String(body.product_id)))
      return invalid(
        'INVALID_PARAMETER_VALUE',
        `product_id ${String(body.product_id)} does not exist`,
      );
    const cycle = (body.billing_cycles as Json[] | undefined)?.[0];
    const price = (cycle?.pricing_scheme as Json | undefined)?.fixed_price as Price | undefined;
    const frequency = cycle?.frequency as Json | undefined;
    if (!price?.currency_code || !price.value || !frequency?.interval_unit)
      return invalid(
        'MISSING_REQUIRED_PARAMETER',
        'billing_cycles[0].frequency and pricing_scheme.fixed_price are required',
      );
    if (PAYPAL_UNSUPPORTED_CURRENCIES.has(price.currency_code))
      return invalid(
        'CURRENCY_NOT_SUPPORTED',
        `Currency code ${price.currency_code} is not currently supported.`,
      );
    if (toMinor(price.value, price.currency_code) === null)
      return invalid('INVALID_PARAMETER_VALUE', `fixed_price.value ${price.value} is not valid`);
    const plan: Obj = {
      id: fakeId('P-').toUpperCase().slice(0, 26),
      status: 'ACTIVE',
      ...body,
      create_time: new Date().toISOString(),
    };
    this.plans.set(plan.id, plan);
    return [201, plan];
  }

  protected priceOf(planId: string): Price {
    const plan = this.mustGet(this.plans, planId);
    return ((plan.billing_cycles as Json[])[0]!.pricing_scheme as Json).fixed_price as Price;
  }

  private createSubscription(body: Json): Answer {
    if (!this.plans.has(String(body.plan_id)))
      return invalid('INVALID_RESOURCE_ID', `plan_id ${String(body.plan_id)} does not exist`);
    const id = `I-${fakeId('').toUpperCase().slice(0, 12)}`;
    const token = `BA-${fakeId('').toUpperCase().slice(0, 17)}`;
    const sub: Obj = {
      id,
      status: 'APPROVAL_PENDING',
      plan_id: body.plan_id,
      custom_id: body.custom_id,
      subscriber: body.subscriber ?? {},
      application_context: body.application_context ?? {},
      ba_token: token,
      create_time: new Date().toISOString(),
      links: [
        {
          href: `${this.url}/webapps/billing/subscriptions?ba_token=${token}`,
          rel: 'approve',
          method: 'GET',
        },
        { href: `${this.url}/v1/billing/subscriptions/${id}`, rel: 'self', method: 'GET' },
      ],
    };
    this.subscriptions.set(id, sub);
    return [201, sub];
  }

  private revise(id: string, body: Json): Answer {
    const sub = this.subscriptions.get(id);
    if (!sub) return notFoundError(id);
    if (sub.status !== 'ACTIVE' && sub.status !== 'SUSPENDED')
      return invalid(
        'SUBSCRIPTION_STATUS_INVALID',
        `Invalid subscription status ${String(sub.status)} to revise`,
      );
    const plan = this.plans.get(String(body.plan_id));
    if (!plan)
      return invalid('INVALID_RESOURCE_ID', `plan_id ${String(body.plan_id)} does not exist`);
    if (this.priceOf(plan.id).currency_code !== this.priceOf(String(sub.plan_id)).currency_code)
      return invalid(
        'CURRENCY_MISMATCH',
        'The new plan must be in the currency of the current one',
      );
    sub.plan_id = plan.id;
    return [200, { plan_id: plan.id, plan_overridden: false, links: [] }];
  }

  private cancelSubscription(id: string, body: Json): Answer {
    const sub = this.subscriptions.get(id);
    if (!sub) return notFoundError(id);
    if (sub.status === 'CANCELLED' || sub.status === 'APPROVAL_PENDING')
      return invalid(
        'SUBSCRIPTION_STATUS_INVALID',
        `Invalid subscription status ${String(sub.status)} to cancel`,
      );
    Object.assign(sub, {
      status: 'CANCELLED',
      status_change_note: body.reason ?? null,
      status_update_time: new Date().toISOString(),
    });
    return [
      204,
      '',
      this.event(
        'BILLING.SUBSCRIPTION.CANCELLED',
        'subscription',
        sub,
        'A billing agreement was cancelled.',
      ),
    ];
  }

  private advanceOverHttp(id: string): Answer {
    const sub = this.subscriptions.get(id);
    if (!sub) return notFoundError(id);
    const [event] = this.bill(sub);
    return [200, sub, event];
  }

  /** The buyer approved the subscription on PayPal: it starts and its first cycle is charged. */
  protected activate(id: string): PayPalEvent[] {
    const sub = this.mustGet(this.subscriptions, id);
    if (sub.status !== 'APPROVAL_PENDING') return [];
    const start = new Date().toISOString();
    Object.assign(sub, {
      status: 'ACTIVE',
      start_time: start,
      subscriber: { ...(sub.subscriber as Json), payer_id: 'FAKEPAYER01' },
      billing_info: { next_billing_time: start, failed_payments_count: 0, cycle_executions: [] },
    });
    const activated = this.event(
      'BILLING.SUBSCRIPTION.ACTIVATED',
      'subscription',
      sub,
      'Subscription activated',
    );
    return [activated, ...this.bill(sub)];
  }

  /** One billing cycle: a completed sale, or a declined payment (the cycle stays due). */
  protected bill(sub: Obj): PayPalEvent[] {
    if (sub.status !== 'ACTIVE') return [];
    const price = this.priceOf(String(sub.plan_id));
    const minor = toMinor(price.value, price.currency_code)!;
    const info = sub.billing_info as Json;
    if (this.declineNext.delete(sub.id)) {
      info.failed_payments_count = Number(info.failed_payments_count) + 1;
      info.last_failed_payment = {
        amount: price,
        time: new Date().toISOString(),
        reason_code: 'PAYMENT_DENIED',
      };
      return [
        this.event(
          'BILLING.SUBSCRIPTION.PAYMENT.FAILED',
          'subscription',
          sub,
          'Subscription payment failed',
        ),
      ];
    }
    const fee = this.feeFor(minor, price.currency_code);
    const saleId = fakeId('SALE').toUpperCase().slice(0, 17);
    const sale: Obj = {
      id: saleId,
      state: 'completed',
      amount: {
        total: price.value,
        currency: price.currency_code,
        details: { subtotal: price.value },
      },
      payment_mode: 'INSTANT_TRANSFER',
      transaction_fee: { value: toMajor(fee, price.currency_code), currency: price.currency_code },
      billing_agreement_id: sub.id,
      custom: sub.custom_id,
      create_time: new Date().toISOString(),
      links: [
        { href: `${this.url}/v1/payments/sale/${'{id}'}/refund`, rel: 'refund', method: 'POST' },
      ],
    };
    this.sales.set(sale.id, sale);
    this.addTransaction({
      transaction_event_code: 'T0002',
      amount: minor,
      fee,
      currency: price.currency_code,
      reference_id: sale.id,
      custom_field: String(sub.custom_id ?? ''),
    });
    info.last_payment = { amount: price, time: sale.create_time };
    info.next_billing_time = nextMonth(String(info.next_billing_time));
    return [this.event('PAYMENT.SALE.COMPLETED', 'sale', sale, 'Payment completed')];
  }

  private refundSale(id: string, body: Json): Answer {
    const sale = this.sales.get(id);
    if (!sale) return notFoundError(id);
    const total = sale.amount as { total: string; currency: string };
    const asked = (body.amount as { total?: string } | undefined)?.total ?? total.total;
    const refunded = Number(sale.refunded_minor ?? 0);
    const minor = toMinor(asked, total.currency);
    const max = toMinor(total.total, total.currency)! - refunded;
    if (minor === null || minor <= 0 || minor > max)
      return invalid(
        'REFUND_AMOUNT_EXCEEDED',
        'The refund amount must be positive and at most what is left of the sale',
      );
    sale.refunded_minor = refunded + minor;
    sale.state = sale.refunded_minor === max + refunded ? 'refunded' : 'partially_refunded';
    const refund: Obj = {
      id: fakeId('RF').toUpperCase().slice(0, 17),
      state: 'completed',
      sale_id: id,
      amount: { total: asked, currency: total.currency },
      create_time: new Date().toISOString(),
    };
    this.refunds.set(refund.id, refund);
    this.addTransaction({
      transaction_event_code: 'T1107',
      amount: -minor,
      currency: total.currency,
      reference_id: id,
    });
    return [201, refund];
  }

  abstract approveSubscription(id: string): Promise<PayPalEvent[]>;

  /** The approve page of a subscription (ba_token): the donor agrees, PayPal returns them. */
  protected async subscriptionPage(req: FakeRequest, res: ServerResponse): Promise<void> {
    const token = req.query.get('ba_token') ?? '';
    const sub = [...this.subscriptions.values()].find((s) => s.ba_token === token);
    if (!sub) return sendHtml(res, 404, '<h1>Unknown PayPal subscription</h1>');
    const context = sub.application_context as { return_url?: string; cancel_url?: string };
    if (req.method === 'POST') {
      await this.approveSubscription(sub.id);
      const sep = context.return_url?.includes('?') ? '&' : '?';
      const back = context.return_url
        ? `${context.return_url}${sep}subscription_id=${sub.id}&ba_token=${token}&token=${token}`
        : `${this.url}/webapps/billing/subscriptions?ba_token=${token}`;
      return redirect(res, back);
    }
    const price = this.priceOf(String(sub.plan_id));
    sendHtml(
      res,
      200,
      `<!doctype html><html><head><meta charset="utf-8"><title>Fake PayPal</title></head><body>
<h1>Fake PayPal</h1><p>Sandbox. Monthly: <strong>${escapeHtml(`${price.value} ${price.currency_code}`)}</strong>. Status: ${escapeHtml(String(sub.status))}</p>
<form method="post" action="/webapps/billing/subscriptions?ba_token=${escapeHtml(token)}"><button type="submit">Agree and subscribe</button></form>
${context.cancel_url ? `<p><a href="${escapeHtml(context.cancel_url)}">Cancel</a></p>` : ''}
</body></html>`,
    );
  }
}

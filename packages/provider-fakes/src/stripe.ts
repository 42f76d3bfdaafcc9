import type { ServerResponse } from 'node:http';
import Stripe from 'stripe';
import {
  escapeHtml,
  fakeId,
  LocalServer,
  parseStripeForm,
  postWebhook,
  redirect,
  sendHtml,
  sendJson,
  type Delivery,
  type FakeRequest,
  type Json,
} from './http-util';
import { StateFile } from './state-file';
import { StripeApi } from './stripe-api';
import { StripeIdempotency } from './stripe-idempotency';
import { apiError, now, type StripeEvent, type StripeObject } from './stripe-state';

export interface FakeStripeOptions {
  /** Endpoint secret the deliveries are signed with (the service's STRIPE_WEBHOOK_SECRET). */
  webhookSecret?: string;
  /** Where events are POSTed (the service's /webhooks/stripe); settable later. */
  webhookUrl?: string;
  /** Fee Stripe keeps, in minor units of the charge currency. Default 2.9% + 30. */
  feeFor?: (amount: number, currency: string) => number;
  /** Send charge.refunded automatically after POST /v1/refunds (default true). */
  autoRefundWebhooks?: boolean;
  /** Time a POST with an Idempotency-Key stays in flight (concurrent retries then get 409). */
  latencyMs?: number;
  /** The webhook endpoint's api_version, which every event carries (default: the SDK's pin). */
  apiVersion?: string;
  /**
   * Keep the state in this JSON file (loaded now, rewritten after every request), so a restart
   * keeps sessions, charges and refunds as Stripe would. Unset: in memory only (tests).
   */
  stateFile?: string;
  /** Coalesce state-file writes within this many ms (0: after every request). */
  stateSaveDelayMs?: number;
}

export type { StripeEvent, StripeObject } from './stripe-state';

export interface PayOptions {
  outcome?: 'succeeded' | 'failed';
  /** Deliver the events to webhookUrl (default true); false only builds and returns them. */
  deliver?: boolean;
}

/**
 * A local Stripe: the endpoints the payment service calls, stateful and inspectable, plus
 * helpers that act like the donor (pay, fail) or Stripe itself (disputes), producing the
 * event objects Stripe sends, signed for real with the endpoint secret.
 */
export class FakeStripe extends StripeApi {
  readonly deliveries: Delivery[] = [];
  /** Every API call received, for tests that check what the service asked and how. */
  readonly calls: {
    method: string;
    path: string;
    body: Json;
    /** The Idempotency-Key and Stripe-Version headers the call carried. */
    idempotencyKey?: string;
    stripeVersion?: string;
  }[] = [];
  webhookUrl?: string;
  readonly webhookSecret: string;
  private readonly server = new LocalServer(async (req, res) => {
    await this.route(req, res);
    this.save();
  });
  private readonly idempotent: StripeIdempotency;
  private readonly state?: StateFile;

  constructor(private readonly options: FakeStripeOptions = {}) {
    super(options.feeFor, options.apiVersion);
    this.webhookSecret = options.webhookSecret ?? 'whsec_fake';
    this.idempotent = new StripeIdempotency(options.latencyMs);
    this.webhookUrl = options.webhookUrl;
    this.state = options.stateFile
      ? new StateFile(options.stateFile, options.stateSaveDelayMs)
      : undefined;
    this.state?.loadMaps(this.persisted());
  }

  /** What a restart needs (not the call and delivery logs, which are for tests to inspect). */
  private persisted(): Record<string, Map<unknown, unknown>> {
    return {
      sessions: this.sessions,
      paymentIntents: this.paymentIntents,
      charges: this.charges,
      balanceTransactions: this.balanceTransactions,
      refunds: this.refunds,
      disputes: this.disputes,
      payouts: this.payouts,
      payoutOf: this.payoutOf,
      customers: this.customers,
      products: this.products,
      prices: this.prices,
      subscriptions: this.subscriptions,
      invoices: this.invoices,
      invoicePayments: this.invoicePayments,
      intentOfInvoice: this.intentOfInvoice,
      idempotent: this.idempotent.results,
    };
  }

  /** Writes the state file now (after every request; call it after using the helpers directly). */
  save(): void {
    this.state?.saveMaps(this.persisted());
  }

  get port(): number {
    return this.server.port;
  }

  get url(): string {
    return this.server.url;
  }

  /** Options for `new Stripe(key, options)` that point the real SDK at this fake. */
  sdkOptions(): { host: string; port: number; protocol: 'http'; maxNetworkRetries: number } {
    return { host: '127.0.0.1', port: this.port, protocol: 'http', maxNetworkRetries: 0 };
  }

  /** host: the interface to listen on (loopback unless a container must be reached from outside). */
  start(port = 0, host?: string): Promise<string> {
    return this.server.start(port, host);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.state?.flush();
  }

  /** The donor pays (or fails to pay) on the hosted page: updates state and sends the events. */
  async pay(sessionId: string, options: PayOptions = {}): Promise<StripeEvent[]> {
    const session = this.mustGet(this.sessions, sessionId);
    // A complete session paid again re-sends its events (tests use it as a redelivery).
    if (session.status === 'expired')
      throw new Error(`FakeStripe: session ${sessionId} is expired, not payable`);
    if (session.mode === 'subscription') return this.subscribe(session, options);
    const amount = session.amount_total as number;
    const currency = session.currency as string;
    const metadata = ((session.payment_intent_data as Json | undefined)?.metadata ??
      session.metadata ??
      {}) as Json;
    const intent = this.ensureIntent(session, amount, currency, metadata);
    const events: StripeEvent[] = [];
    if (options.outcome === 'failed') {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = {
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      };
      events.push(this.event('payment_intent.payment_failed', intent));
    } else {
      const charge = this.createCharge(intent, amount, currency);
      intent.status = 'succeeded';
      intent.latest_charge = charge.id;
      intent.amount_received = amount;
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        payment_intent: intent.id,
      });
      events.push(
        this.event('checkout.session.completed', session),
        this.event('payment_intent.succeeded', intent),
      );
    }
    if (options.deliver !== false) for (const e of events) await this.deliver(e);
    return events;
  }

  /**
   * Checkout in subscription mode: the donor's card pays the first invoice and the subscription
   * starts (checkout.session.completed, customer.subscription.created, invoice.paid). A declined
   * card creates nothing: the donor stays on the page, as on Stripe.
   */
  private async subscribe(session: StripeObject, options: PayOptions): Promise<StripeEvent[]> {
    if (session.status !== 'open' || options.outcome === 'failed') return [];
    const events = this.startSubscription(session);
    if (options.deliver !== false) for (const e of events) await this.deliver(e);
    return events;
  }

  /**
   * The fake's clock: the subscription reaches the end of its period and the next one is
   * charged (invoice.paid, or invoice.payment_failed + past_due after declineNextCharge). What
   * POST /v1/test_helpers/subscriptions/:id/advance does. A cancelled subscription: nothing.
   */
  async advance(
    subscriptionId: string,
    options: { deliver?: boolean } = {},
  ): Promise<StripeEvent[]> {
    const [status, body, events] = this.advanceSubscription(subscriptionId);
    if (status !== 200) throw new Error(`FakeStripe: ${JSON.stringify(body)}`);
    if (options.deliver !== false) for (const e of events) await this.deliver(e);
    this.save();
    return events;
  }

  /** The donor's card will decline the subscription's next charge (one attempt). */
  declineNextCharge(subscriptionId: string): void {
    this.mustGet(this.subscriptions, subscriptionId);
    this.declineNext.add(subscriptionId);
  }

  /**
   * The session's time is up (or the donor abandoned it): Stripe expires it and sends
   * checkout.session.expired, as POST /v1/checkout/sessions/:id/expire does.
   */
  async expire(sessionId: string, options: { deliver?: boolean } = {}): Promise<StripeEvent> {
    const [status, body] = this.expireSession(sessionId);
    if (status !== 200) throw new Error(`FakeStripe: ${JSON.stringify(body)}`);
    const event = this.produced.pop()!;
    if (options.deliver !== false) await this.deliver(event);
    return event;
  }

  /** Stripe's clock at `at` (unix seconds): every open session whose expires_at passed expires. */
  async expireDue(at = now()): Promise<StripeEvent[]> {
    const due = [...this.sessions.values()].filter(
      (s) => s.status === 'open' && (s.expires_at as number) <= at,
    );
    const events: StripeEvent[] = [];
    for (const session of due) events.push(await this.expire(session.id));
    return events;
  }

  /** The cardholder disputes the charge of a payment intent. */
  async openDispute(
    paymentIntentId: string,
    options: { deliver?: boolean } = {},
  ): Promise<StripeEvent> {
    const intent = this.mustGet(this.paymentIntents, paymentIntentId);
    const charge = this.mustGet(this.charges, intent.latest_charge as string);
    const dispute: StripeObject = {
      id: fakeId('dp_'),
      object: 'dispute',
      amount: charge.amount,
      currency: charge.currency,
      charge: charge.id,
      payment_intent: intent.id,
      reason: 'fraudulent',
      status: 'needs_response',
      created: now(),
      livemode: false,
    };
    this.disputes.set(dispute.id, dispute);
    this.addBalanceTransaction({
      amount: -(charge.amount as number),
      fee: DISPUTE_FEE,
      currency: charge.currency as string,
      type: 'adjustment',
      reporting_category: 'dispute',
      source: dispute.id,
      description: 'Chargeback withdrawal',
    });
    charge.disputed = true;
    const event = this.event('charge.dispute.created', dispute);
    if (options.deliver !== false) await this.deliver(event);
    return event;
  }

  async closeDispute(
    disputeId: string,
    outcome: 'won' | 'lost',
    options: { deliver?: boolean } = {},
  ): Promise<StripeEvent> {
    const dispute = this.mustGet(this.disputes, disputeId);
    dispute.status = outcome;
    if (outcome === 'won') {
      this.addBalanceTransaction({
        amount: dispute.amount as number,
        currency: dispute.currency as string,
        type: 'adjustment',
        reporting_category: 'dispute_reversal',
        source: dispute.id,
        description: 'Chargeback reversal',
      });
    }
    const event = this.event('charge.dispute.closed', dispute);
    if (options.deliver !== false) await this.deliver(event);
    return event;
  }

  /** Signs the event with the endpoint secret (as Stripe does) and POSTs it to webhookUrl. */
  async deliver(event: StripeEvent, url = this.webhookUrl): Promise<Delivery> {
    if (!url) throw new Error('FakeStripe: no webhookUrl to deliver to');
    const { payload, signature } = this.sign(event);
    const res = await postWebhook(url, payload, { 'stripe-signature': signature });
    const delivery = { eventId: event.id, type: event.type, status: res.status, body: res.body };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Payload text and a real `Stripe-Signature` header for it. */
  sign(event: StripeEvent, secret = this.webhookSecret): { payload: string; signature: string } {
    const payload = JSON.stringify(event, null, 2);
    return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
  }

  // --- HTTP API -------------------------------------------------------------------------

  private async route(req: FakeRequest, res: ServerResponse): Promise<void> {
    const parts = req.path.split('/').filter(Boolean);
    if (parts[0] === 'checkout' && parts.length >= 2)
      return this.hostedPage(req, res, parts[1]!, parts[2]);
    if (parts[0] !== 'v1') return sendJson(res, 404, apiError('Unrecognized request URL'));
    if (!/^Bearer sk_/.test(req.headers.authorization ?? '')) {
      return sendJson(res, 401, apiError('Invalid API Key provided', 'authentication_error'));
    }
    const body =
      req.method === 'GET' ? parseStripeForm(req.query.toString()) : parseStripeForm(req.rawBody);
    const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const version = req.headers['stripe-version'];
    this.calls.push({
      method: req.method,
      path: req.path,
      body,
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
      ...(typeof version === 'string' ? { stripeVersion: version } : {}),
    });
    if (typeof version === 'string' && !/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version))
      return sendJson(res, 400, apiError(`Invalid Stripe API version: ${version}`));
    const { answer, replayed } =
      typeof key === 'string'
        ? await this.idempotent.run(key, `${req.path}?${req.rawBody}`, () =>
            this.api(req.method, parts.slice(1), body),
          )
        : { answer: this.api(req.method, parts.slice(1), body), replayed: false };
    const [status, result] = answer;
    sendJson(res, status, result, {
      'request-id': fakeId('req_'),
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    const produced = this.produced.splice(0);
    if (this.webhookUrl) for (const event of produced) setImmediate(() => void this.deliver(event));
    if (
      status === 200 &&
      !replayed &&
      req.method === 'POST' &&
      parts[1] === 'refunds' &&
      this.options.autoRefundWebhooks !== false &&
      this.webhookUrl
    ) {
      const charge = this.charges.get((result as StripeObject).charge as string);
      if (charge) setImmediate(() => void this.deliver(this.event('charge.refunded', charge)));
    }
  }

  // --- Hosted checkout page (the demo donor clicks here) --------------------------------

  private async hostedPage(
    req: FakeRequest,
    res: ServerResponse,
    id: string,
    action?: string,
  ): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return sendHtml(res, 404, '<h1>Unknown checkout session</h1>');
    if (session.status === 'expired')
      return sendHtml(res, 410, '<h1>This checkout session has expired</h1>');
    if (req.method === 'POST' && (action === 'pay' || action === 'fail')) {
      await this.pay(id, { outcome: action === 'pay' ? 'succeeded' : 'failed' });
      if (action === 'fail') return redirect(res, `${this.url}/checkout/${id}`);
      return redirect(res, String(session.success_url).replace('{CHECKOUT_SESSION_ID}', id));
    }
    const amount = `${session.amount_total} ${String(session.currency).toUpperCase()} (minor units)`;
    sendHtml(
      res,
      200,
      `<!doctype html><html><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head><body>
<h1>Fake Stripe Checkout</h1><p>Test mode. Amount: <strong>${escapeHtml(amount)}</strong>. Status: ${escapeHtml(String(session.payment_status))}</p>
<form method="post" action="/checkout/${id}/pay"><button type="submit">Pay</button></form>
<form method="post" action="/checkout/${id}/fail"><button type="submit">Decline card</button></form>
${session.cancel_url ? `<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel</a></p>` : ''}
</body></html>`,
    );
  }
}

/** What Stripe charges for a dispute (15.00 in the account currency's minor units). */
const DISPUTE_FEE = 1500;

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
import { StripeIdempotency } from './stripe-idempotency';

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
  /**
   * Keep the state in this JSON file (loaded now, rewritten after every request), so a restart
   * keeps sessions, charges and refunds as Stripe would. Unset: in memory only (tests).
   */
  stateFile?: string;
}

export type StripeObject = Json & { id: string };
export type StripeEvent = Json & { id: string; type: string; data: { object: StripeObject } };

export interface PayOptions {
  outcome?: 'succeeded' | 'failed';
  /** Deliver the events to webhookUrl (default true); false only builds and returns them. */
  deliver?: boolean;
}

const API_VERSION = '2025-10-29.clover';

/**
 * A local Stripe: the endpoints the payment service calls, stateful and inspectable, plus
 * helpers that act like the donor (pay, fail) or Stripe itself (disputes), producing the
 * event objects Stripe sends, signed for real with the endpoint secret.
 */
export class FakeStripe {
  readonly sessions = new Map<string, StripeObject>();
  readonly paymentIntents = new Map<string, StripeObject>();
  readonly charges = new Map<string, StripeObject>();
  readonly balanceTransactions = new Map<string, StripeObject>();
  readonly refunds = new Map<string, StripeObject>();
  readonly disputes = new Map<string, StripeObject>();
  readonly payouts = new Map<string, StripeObject>();
  /** Which payout paid out a balance transaction (Stripe exposes it only as a list filter). */
  readonly payoutOf = new Map<string, string>();
  readonly events: StripeEvent[] = [];
  readonly deliveries: Delivery[] = [];
  /** Every API call received (method and path), for tests that check what the service asked. */
  readonly calls: { method: string; path: string; body: Json }[] = [];
  webhookUrl?: string;
  readonly webhookSecret: string;
  private readonly server = new LocalServer(async (req, res) => {
    await this.route(req, res);
    this.save();
  });
  private readonly idempotent: StripeIdempotency;
  private readonly state?: StateFile;

  constructor(private readonly options: FakeStripeOptions = {}) {
    this.webhookSecret = options.webhookSecret ?? 'whsec_fake';
    this.idempotent = new StripeIdempotency(options.latencyMs);
    this.webhookUrl = options.webhookUrl;
    this.state = options.stateFile ? new StateFile(options.stateFile) : undefined;
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

  start(port = 0): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The donor pays (or fails to pay) on the hosted page: updates state and sends the events. */
  async pay(sessionId: string, options: PayOptions = {}): Promise<StripeEvent[]> {
    const session = this.mustGet(this.sessions, sessionId);
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
    this.calls.push({ method: req.method, path: req.path, body });
    const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
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

  private api(method: string, path: string[], body: Json): [number, unknown] {
    const [resource, a, b] = path;
    if (resource === 'checkout' && a === 'sessions') {
      if (method === 'POST' && !b) return this.createSession(body);
      if (method === 'GET' && b) return this.found(this.sessions, b, body);
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

  private createSession(body: Json): [number, unknown] {
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
    const id = fakeId('cs_test_');
    const session: StripeObject = {
      id,
      object: 'checkout.session',
      mode: body.mode ?? 'payment',
      amount_total: amount,
      amount_subtotal: amount,
      currency: String(price.currency).toLowerCase(),
      client_reference_id: body.client_reference_id ?? null,
      customer_email: body.customer_email ?? null,
      metadata: body.metadata ?? {},
      payment_intent_data: body.payment_intent_data ?? null,
      payment_intent: null,
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

  private publicSession(session: StripeObject): StripeObject {
    // payment_intent_data is a create parameter, not a field of the Session object.
    const { payment_intent_data: _omit, ...rest } = session;
    return rest as StripeObject;
  }

  private createRefund(body: Json): [number, unknown] {
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

  private listRefunds(query: Json): [number, unknown] {
    const data = [...this.refunds.values()].filter(
      (r) =>
        (!query.charge || r.charge === query.charge) &&
        (!query.payment_intent || r.payment_intent === query.payment_intent),
    );
    return [200, { object: 'list', data: data.reverse(), has_more: false, url: '/v1/refunds' }];
  }

  private found(map: Map<string, StripeObject>, id: string, query: Json): [number, unknown] {
    const object = map.get(id);
    if (!object)
      return [
        404,
        apiError(`No such object: '${id}'`, 'invalid_request_error', 'resource_missing'),
      ];
    const result = map === this.sessions ? this.publicSession(object) : object;
    return [200, this.expand(result, (query.expand as string[] | undefined) ?? [])];
  }

  /** `expand[]=latest_charge.balance_transaction` and the like: replaces ids by objects. */
  private expand(object: StripeObject, paths: string[]): StripeObject {
    const copy = structuredClone(object);
    for (const path of paths) {
      let node: Json = copy;
      for (const field of path.split('.')) {
        const value = node[field];
        if (typeof value !== 'string') {
          if (typeof value === 'object' && value !== null) node = value as Json;
          continue;
        }
        const target = this.lookup(value);
        if (!target) break;
        node[field] = structuredClone(target);
        node = node[field] as Json;
      }
    }
    return copy;
  }

  private lookup(id: string): StripeObject | undefined {
    for (const map of [
      this.charges,
      this.balanceTransactions,
      this.paymentIntents,
      this.refunds,
      this.disputes,
      this.sessions,
    ]) {
      const hit = map.get(id);
      if (hit) return hit;
    }
    return undefined;
  }

  // --- Balance transactions and payouts (statement imports) -----------------------------

  /**
   * Records a balance transaction (as Stripe does for every money movement). Tests use it to
   * build statements with chosen dates and amounts; `fee` defaults to 0, `net` to amount − fee.
   */
  addBalanceTransaction(fields: {
    amount: number;
    currency: string;
    type: string;
    reporting_category?: string;
    fee?: number;
    net?: number;
    source?: string | null;
    created?: number;
    available_on?: number;
    description?: string | null;
    id?: string;
  }): StripeObject {
    const fee = fields.fee ?? 0;
    const created = fields.created ?? now();
    const txn: StripeObject = {
      id: fields.id ?? fakeId('txn_'),
      object: 'balance_transaction',
      amount: fields.amount,
      currency: fields.currency.toLowerCase(),
      fee,
      fee_details: fee
        ? [{ amount: fee, currency: fields.currency.toLowerCase(), type: 'stripe_fee' }]
        : [],
      net: fields.net ?? fields.amount - fee,
      status: 'available',
      type: fields.type,
      reporting_category: fields.reporting_category ?? fields.type,
      source: fields.source ?? null,
      created,
      available_on: fields.available_on ?? created + 2 * 24 * 3600,
      description: fields.description ?? null,
      exchange_rate: null,
    };
    this.balanceTransactions.set(txn.id, txn);
    return txn;
  }

  /**
   * Pays out balance transactions to the bank: by default every transaction of the currency
   * not yet paid out. The payout's amount defaults to the sum of their nets (pass `amount` to
   * make a payout that does not add up); its own balance transaction (−amount) is recorded.
   */
  createPayout(options: {
    currency: string;
    transactionIds?: string[];
    amount?: number;
    created?: number;
    arrival_date?: number;
    id?: string;
  }): StripeObject {
    const currency = options.currency.toLowerCase();
    const members =
      options.transactionIds?.map((id) => this.mustGet(this.balanceTransactions, id)) ??
      [...this.balanceTransactions.values()].filter(
        (t) => t.currency === currency && t.type !== 'payout' && !this.payoutOf.has(t.id),
      );
    const amount = options.amount ?? members.reduce((n, t) => n + (t.net as number), 0);
    const created = options.created ?? now();
    const payout: StripeObject = {
      id: options.id ?? fakeId('po_'),
      object: 'payout',
      amount,
      currency,
      arrival_date: options.arrival_date ?? created + 24 * 3600,
      created,
      automatic: true,
      method: 'standard',
      status: 'paid',
      type: 'bank_account',
      balance_transaction: null,
      livemode: false,
    };
    const own = this.addBalanceTransaction({
      amount: -amount,
      currency,
      type: 'payout',
      source: payout.id,
      created,
      available_on: created,
      description: 'STRIPE PAYOUT',
    });
    payout.balance_transaction = own.id;
    for (const t of [...members, own]) this.payoutOf.set(t.id, payout.id);
    this.payouts.set(payout.id, payout);
    return payout;
  }

  private listBalanceTransactions(query: Json): [number, unknown] {
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

  private listPayouts(query: Json): [number, unknown] {
    const items = [...this.payouts.values()].filter(
      (p) =>
        inRange(p.created as number, query.created) &&
        inRange(p.arrival_date as number, query.arrival_date) &&
        (!query.status || p.status === query.status),
    );
    return this.page(items, query, '/v1/payouts');
  }

  /** Stripe list semantics: newest first, `limit` (1–100, default 10), `starting_after` cursor. */
  private page(items: StripeObject[], query: Json, url: string): [number, unknown] {
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

  // --- Hosted checkout page (the demo donor clicks here) --------------------------------

  private async hostedPage(
    req: FakeRequest,
    res: ServerResponse,
    id: string,
    action?: string,
  ): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return sendHtml(res, 404, '<h1>Unknown checkout session</h1>');
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

  // --- State helpers -------------------------------------------------------------------

  private ensureIntent(
    session: StripeObject,
    amount: number,
    currency: string,
    metadata: Json,
  ): StripeObject {
    const existing = session.payment_intent
      ? this.paymentIntents.get(session.payment_intent as string)
      : undefined;
    if (existing) return existing;
    const intent: StripeObject = {
      id: fakeId('pi_'),
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency,
      metadata,
      status: 'requires_payment_method',
      latest_charge: null,
      last_payment_error: null,
      created: now(),
      livemode: false,
    };
    this.paymentIntents.set(intent.id, intent);
    session.payment_intent = intent.id;
    return intent;
  }

  private createCharge(intent: StripeObject, amount: number, currency: string): StripeObject {
    const fee = (this.options.feeFor ?? defaultFee)(amount, currency);
    const txn: StripeObject = {
      id: fakeId('txn_'),
      object: 'balance_transaction',
      amount,
      currency,
      fee,
      fee_details: [
        { amount: fee, currency, type: 'stripe_fee', description: 'Stripe processing fees' },
      ],
      net: amount - fee,
      status: 'pending',
      type: 'charge',
      reporting_category: 'charge',
      created: now(),
      available_on: now() + 2 * 24 * 3600,
      description: null,
    };
    this.balanceTransactions.set(txn.id, txn);
    const charge: StripeObject = {
      id: fakeId('ch_'),
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      currency,
      captured: true,
      paid: true,
      refunded: false,
      disputed: false,
      status: 'succeeded',
      payment_intent: intent.id,
      balance_transaction: txn.id,
      metadata: intent.metadata,
      created: now(),
      livemode: false,
    };
    this.charges.set(charge.id, charge);
    txn.source = charge.id;
    return charge;
  }

  /** An Event object as Stripe renders it (a snapshot of the object at that moment). */
  event(type: string, object: StripeObject): StripeEvent {
    const event: StripeEvent = {
      id: fakeId('evt_'),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      data: {
        object: structuredClone(
          object.object === 'checkout.session' ? this.publicSession(object) : object,
        ),
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    return event;
  }

  private mustGet(map: Map<string, StripeObject>, id: string): StripeObject {
    const found = map.get(id);
    if (!found) throw new Error(`FakeStripe: no such object ${id}`);
    return found;
  }
}

/** What Stripe charges for a dispute (15.00 in the account currency's minor units). */
const DISPUTE_FEE = 1500;

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

function defaultFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function apiError(message: string, type = 'invalid_request_error', code?: string): Json {
  return { error: { type, message, ...(code ? { code } : {}) } };
}

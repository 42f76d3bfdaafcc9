import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  escapeHtml,
  fakeId,
  LocalServer,
  postWebhook,
  redirect,
  sendHtml,
  sendJson,
  type Delivery,
  type FakeRequest,
  type Json,
} from './http-util';
import { StateFile } from './state-file';

export interface FakePayPalOptions {
  clientId?: string;
  clientSecret?: string;
  /** The webhook id PayPal assigns to the service's endpoint (the service's PAYPAL_WEBHOOK_ID). */
  webhookId?: string;
  webhookUrl?: string;
  /** Fee PayPal keeps, in minor units. Default 3.49% + 49. */
  feeFor?: (minor: number, currency: string) => number;
  /** Send PAYMENT.CAPTURE.* automatically after captures and refunds (default true). */
  autoWebhooks?: boolean;
  /** Keep the state in this JSON file (loaded now, rewritten after every request); see FakeStripe. */
  stateFile?: string;
}

export type PayPalEvent = Json & { id: string; event_type: string; resource: Json };

/** Currencies PayPal's REST API does not take (BYN among them). */
export const PAYPAL_UNSUPPORTED_CURRENCIES = new Set(['BYN', 'RUB']);
const ZERO_DECIMAL = new Set(['JPY', 'HUF', 'TWD']);

interface Transmission {
  signature: string;
  eventId: string;
  webhookId: string;
}

/**
 * A local PayPal REST API (OAuth token, Orders v2, captures, refunds, webhook signature
 * verification) for the real @paypal/checkout-server-sdk, plus donor/PayPal-side helpers
 * that approve orders and deliver webhooks with PayPal's transmission headers.
 */
export class FakePayPal {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookId: string;
  webhookUrl?: string;
  readonly orders = new Map<string, Json & { id: string }>();
  readonly captures = new Map<string, Json & { id: string }>();
  readonly refunds = new Map<string, Json & { id: string }>();
  /** What Transaction Search (GET /v1/reporting/transactions) reports: `transaction_info` objects. */
  readonly reportingTransactions: Json[] = [];
  readonly events: PayPalEvent[] = [];
  readonly deliveries: Delivery[] = [];
  readonly calls: { method: string; path: string; body: unknown }[] = [];
  /** Deliveries this fake signed: only these verify as SUCCESS. */
  readonly transmissions = new Map<string, Transmission>();
  private readonly tokens = new Set<string>();
  private readonly captureOutcome = new Map<string, 'COMPLETED' | 'DECLINED'>();
  private readonly requestIds = new Map<
    string,
    { status: number; body: unknown; request: string }
  >();
  private signingKey = randomBytes(32);
  private readonly server = new LocalServer(async (req, res) => {
    await this.route(req, res);
    this.save();
  });
  private readonly state?: StateFile;

  constructor(private readonly options: FakePayPalOptions = {}) {
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.webhookId = options.webhookId ?? 'WH-FAKE-0001';
    this.webhookUrl = options.webhookUrl;
    this.state = options.stateFile ? new StateFile(options.stateFile) : undefined;
    const saved = this.state?.loadMaps(this.persisted());
    if (saved) this.restore(saved);
  }

  /** What a restart needs: orders, captures, refunds, the statement, issued tokens, signatures. */
  private persisted(): Record<string, Map<unknown, unknown>> {
    return {
      orders: this.orders,
      captures: this.captures,
      refunds: this.refunds,
      transmissions: this.transmissions,
      captureOutcome: this.captureOutcome,
      requestIds: this.requestIds,
    };
  }

  /** Writes the state file now (after every request; call it after using the helpers directly). */
  save(): void {
    this.state?.saveMaps(this.persisted(), {
      reportingTransactions: this.reportingTransactions,
      tokens: [...this.tokens],
      signingKey: this.signingKey.toString('base64'),
    });
  }

  /** The values saved besides the maps. */
  private restore(saved: Record<string, unknown>): void {
    this.reportingTransactions.splice(
      0,
      Infinity,
      ...((saved.reportingTransactions ?? []) as Json[]),
    );
    this.tokens.clear();
    for (const token of (saved.tokens ?? []) as string[]) this.tokens.add(token);
    if (typeof saved.signingKey === 'string')
      this.signingKey = Buffer.from(saved.signingKey, 'base64');
  }

  get port(): number {
    return this.server.port;
  }

  get url(): string {
    return this.server.url;
  }

  start(port = 0): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Makes the next capture of this order fail as PayPal does for a declined funding source. */
  declineCapture(orderId: string): void {
    this.captureOutcome.set(orderId, 'DECLINED');
  }

  /** The donor approves the order on PayPal; PayPal sends CHECKOUT.ORDER.APPROVED. */
  async approve(orderId: string, options: { deliver?: boolean } = {}): Promise<PayPalEvent> {
    const order = this.mustGet(this.orders, orderId);
    order.status = 'APPROVED';
    order.payer = {
      payer_id: 'FAKEPAYER01',
      email_address: 'donor@example.com',
      name: { given_name: 'Test', surname: 'Donor' },
    };
    const event = this.event(
      'CHECKOUT.ORDER.APPROVED',
      'checkout-order',
      order,
      `An order has been approved by buyer`,
    );
    if (options.deliver !== false) await this.deliver(event);
    return event;
  }

  /** PayPal reverses a capture (chargeback or PayPal-initiated reversal). */
  async reverse(captureId: string, options: { deliver?: boolean } = {}): Promise<PayPalEvent> {
    const capture = this.mustGet(this.captures, captureId);
    capture.status = 'REVERSED';
    const captured = capture.amount as { currency_code: string; value: string };
    this.addTransaction({
      transaction_event_code: 'T1106',
      amount: -(toMinor(captured.value, captured.currency_code) ?? 0),
      currency: captured.currency_code,
      reference_id: captureId,
    });
    const reversal = {
      id: fakeId('RV'),
      status: 'COMPLETED',
      amount: capture.amount,
      custom_id: capture.custom_id,
      links: [{ rel: 'up', href: `${this.url}/v2/payments/captures/${captureId}`, method: 'GET' }],
    };
    const event = this.event(
      'PAYMENT.CAPTURE.REVERSED',
      'refund',
      reversal,
      'A payment was reversed',
    );
    if (options.deliver !== false) await this.deliver(event);
    return event;
  }

  /** POSTs the event with PayPal's transmission headers, remembering the signature. */
  async deliver(event: PayPalEvent, url = this.webhookUrl): Promise<Delivery> {
    if (!url) throw new Error('FakePayPal: no webhookUrl to deliver to');
    const payload = JSON.stringify(event);
    const res = await postWebhook(url, payload, this.transmissionHeaders(event, payload));
    const delivery = {
      eventId: event.id,
      type: event.event_type,
      status: res.status,
      body: res.body,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Headers PayPal sends with a webhook; the signature is recorded so verification can succeed. */
  transmissionHeaders(event: PayPalEvent, payload: string): Record<string, string> {
    const transmissionId = fakeId('tx-');
    const time = new Date().toISOString();
    const signature = createHmac('sha256', this.signingKey)
      .update(`${transmissionId}|${time}|${this.webhookId}|${payload.length}`)
      .digest('base64');
    this.transmissions.set(transmissionId, {
      signature,
      eventId: event.id,
      webhookId: this.webhookId,
    });
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': signature,
      'paypal-cert-url': `${this.url}/v1/notifications/certs/CERT-FAKE`,
      'paypal-auth-algo': 'SHA256withRSA',
    };
  }

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

  // --- Transaction Search (statement imports) --------------------------------------------

  /**
   * Records a transaction as Transaction Search reports it. Amounts in minor units, signed
   * (money out is negative); `fee` is what PayPal kept (reported as a negative fee_amount).
   */
  addTransaction(t: {
    transaction_id?: string;
    transaction_event_code: string;
    amount: number;
    fee?: number;
    currency: string;
    at?: Date;
    status?: 'S' | 'P' | 'D' | 'V';
    reference_id?: string;
    custom_field?: string;
  }): Json {
    const fee = t.fee ?? 0;
    const signed = (minor: number) =>
      `${minor < 0 ? '-' : ''}${toMajor(Math.abs(minor), t.currency)}`;
    const info: Json = {
      transaction_id: t.transaction_id ?? fakeId('TX').toUpperCase().slice(0, 17),
      transaction_event_code: t.transaction_event_code,
      transaction_initiation_date: (t.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '+0000'),
      transaction_updated_date: (t.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '+0000'),
      transaction_amount: { currency_code: t.currency, value: signed(t.amount) },
      ...(fee ? { fee_amount: { currency_code: t.currency, value: signed(-fee) } } : {}),
      transaction_status: t.status ?? 'S',
      ...(t.reference_id
        ? { paypal_reference_id: t.reference_id, paypal_reference_id_type: 'TXN' }
        : {}),
      ...(t.custom_field ? { custom_field: t.custom_field } : {}),
    };
    this.reportingTransactions.push(info);
    return info;
  }

  /** A withdrawal of the PayPal balance to the bank (event code T0400). */
  withdraw(minor: number, currency: string, at?: Date): Json {
    return this.addTransaction({ transaction_event_code: 'T0400', amount: -minor, currency, at });
  }

  /** GET /v1/reporting/transactions: start_date and end_date (≤ 31 days), page, page_size. */
  private searchTransactions(query: URLSearchParams): [number, unknown] {
    const invalid = (issue: string, description: string): [number, unknown] => [
      400,
      {
        name: 'INVALID_REQUEST',
        message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
        details: [{ issue, description }],
      },
    ];
    const start = new Date(query.get('start_date') ?? '');
    const end = new Date(query.get('end_date') ?? '');
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
      return invalid('INVALID_DATE', 'start_date and end_date are required ISO 8601 dates');
    if (end < start || end.getTime() - start.getTime() > 31 * 24 * 3600_000)
      return invalid('INVALID_DATE_RANGE', 'The date range must be at most 31 days');
    const pageSize = Number(query.get('page_size') ?? 100);
    const page = Number(query.get('page') ?? 1);
    if (
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > 500 ||
      !Number.isInteger(page) ||
      page < 1
    )
      return invalid('INVALID_PAGE', 'page_size must be 1..500 and page ≥ 1');
    const matching = this.reportingTransactions.filter((t) => {
      const at = new Date(t.transaction_initiation_date as string).getTime();
      return at >= start.getTime() && at <= end.getTime();
    });
    const totalPages = Math.ceil(matching.length / pageSize);
    return [
      200,
      {
        transaction_details: matching
          .slice((page - 1) * pageSize, page * pageSize)
          .map((info) => ({ transaction_info: info })),
        account_number: 'FAKEACCOUNT01',
        start_date: query.get('start_date'),
        end_date: query.get('end_date'),
        last_refreshed_datetime: new Date().toISOString(),
        page,
        total_items: matching.length,
        total_pages: totalPages,
        links: [],
      },
    ];
  }

  // --- HTTP API -------------------------------------------------------------------------

  private async route(req: FakeRequest, res: ServerResponse): Promise<void> {
    if (req.path === '/checkoutnow') return this.hostedPage(req, res);
    if (req.method === 'POST' && req.path === '/v1/oauth2/token') return this.token(req, res);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice(7))) {
      return sendJson(res, 401, {
        error: 'invalid_token',
        error_description: 'Token signature verification failed',
      });
    }
    const body = req.rawBody ? (JSON.parse(req.rawBody) as Json) : {};
    this.calls.push({ method: req.method, path: req.path, body });
    if (req.method === 'GET' && req.path === '/v1/reporting/transactions') {
      const [status, result] = this.searchTransactions(req.query);
      return sendJson(res, status, result, { 'paypal-debug-id': fakeId('dbg') });
    }
    // PayPal-Request-Id: the same id for the same request answers the first result again (no
    // second order, capture or refund); the same id for another request is refused.
    const requestId = req.headers['paypal-request-id'];
    const replayKey = typeof requestId === 'string' ? requestId : undefined;
    const replay = replayKey ? this.requestIds.get(replayKey) : undefined;
    const request = `${req.method} ${req.path} ${req.rawBody}`;
    if (replay && replay.request !== undefined && replay.request !== request)
      return sendJson(res, 422, {
        name: 'UNPROCESSABLE_ENTITY',
        message:
          'The requested action could not be performed, semantically incorrect, or failed business validation.',
        details: [
          {
            issue: 'PAYPAL_REQUEST_ID_PREVIOUSLY_USED',
            description: 'The PayPal-Request-Id has already been used for another request.',
          },
        ],
      });
    if (replay) return sendJson(res, replay.status, replay.body);
    const [status, result, after] = this.api(req.method, req.path.split('/').filter(Boolean), body);
    if (replayKey && status < 300)
      this.requestIds.set(replayKey, { status, body: result, request });
    sendJson(res, status, result, { 'paypal-debug-id': fakeId('dbg') });
    if (after && this.options.autoWebhooks !== false && this.webhookUrl)
      setImmediate(() => void this.deliver(after));
  }

  private token(req: FakeRequest, res: ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'Client Authentication failed',
      });
    }
    const token = `A21AA${randomBytes(24).toString('base64url')}`;
    this.tokens.add(token);
    sendJson(res, 200, {
      scope: 'https://uri.paypal.com/services/payments/payment',
      access_token: token,
      token_type: 'Bearer',
      app_id: 'APP-FAKE',
      expires_in: 32400,
      nonce: fakeId('n'),
    });
  }

  private api(method: string, path: string[], body: Json): [number, unknown, PayPalEvent?] {
    const [version, area, kind, id, action] = path;
    if (version === 'v2' && area === 'checkout' && kind === 'orders') {
      if (method === 'POST' && !id) return this.createOrder(body);
      if (method === 'GET' && id && !action) return this.getOrder(id);
      if (method === 'POST' && id && action === 'capture') return this.capture(id);
    }
    if (version === 'v2' && area === 'payments' && kind === 'captures' && id) {
      if (method === 'GET' && !action)
        return this.captures.has(id) ? [200, this.captures.get(id)] : notFoundError(id);
      if (method === 'POST' && action === 'refund') return this.refund(id, body);
    }
    if (method === 'POST' && path.join('/') === 'v1/notifications/verify-webhook-signature')
      return [200, this.verify(body)];
    return [404, { name: 'RESOURCE_NOT_FOUND', message: `No route ${method} /${path.join('/')}` }];
  }

  private createOrder(body: Json): [number, unknown] {
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
    const id = fakeId('').toUpperCase().slice(0, 17);
    const context = (body.application_context ?? {}) as Json;
    const order = {
      id,
      intent: 'CAPTURE',
      status: 'CREATED',
      purchase_units: [
        {
          reference_id: unit!.reference_id ?? 'default',
          custom_id: unit!.custom_id,
          description: unit!.description,
          amount,
        },
      ],
      application_context: context,
      create_time: new Date().toISOString(),
      links: [
        { href: `${this.url}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        { href: `${this.url}/checkoutnow?token=${id}`, rel: 'approve', method: 'GET' },
        { href: `${this.url}/v2/checkout/orders/${id}/capture`, rel: 'capture', method: 'POST' },
      ],
    };
    this.orders.set(id, order);
    return [201, { id, status: order.status, links: order.links }];
  }

  private getOrder(id: string): [number, unknown] {
    const order = this.orders.get(id);
    return order ? [200, this.publicOrder(order)] : notFoundError(id);
  }

  private publicOrder(order: Json): Json {
    const { application_context: _omit, ...rest } = order;
    return rest;
  }

  private capture(orderId: string): [number, unknown, PayPalEvent?] {
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
    const fee = (this.options.feeFor ?? defaultFee)(minor, amount.currency_code);
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

  private refund(captureId: string, body: Json): [number, unknown, PayPalEvent?] {
    const capture = this.captures.get(captureId);
    if (!capture) return notFoundError(captureId);
    if (capture.status !== 'COMPLETED' && capture.status !== 'PARTIALLY_REFUNDED') {
      return unprocessable(
        'CAPTURE_FULLY_REFUNDED',
        'The capture has already been fully refunded or is not completed.',
      );
    }
    const captured = capture.amount as { currency_code: string; value: string };
    const already = [...this.refunds.values()]
      .filter((r) => r.capture_id === captureId)
      .reduce(
        (sum, r) => sum + toMinor((r.amount as { value: string }).value, captured.currency_code)!,
        0,
      );
    const total = toMinor(captured.value, captured.currency_code)!;
    const requested = body.amount as { value: string; currency_code: string } | undefined;
    const minor = requested ? toMinor(requested.value, requested.currency_code) : total - already;
    if (
      minor === null ||
      minor <= 0 ||
      minor > total - already ||
      (requested && requested.currency_code !== captured.currency_code)
    ) {
      return unprocessable(
        'REFUND_AMOUNT_EXCEEDED',
        'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
      );
    }
    const refund = {
      id: fakeId('RF').toUpperCase().slice(0, 17),
      status: 'COMPLETED',
      amount: {
        currency_code: captured.currency_code,
        value: toMajor(minor, captured.currency_code),
      },
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
      currency: captured.currency_code,
      reference_id: captureId,
    });
    capture.status = already + minor === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    const { capture_id: _c, ...resource } = refund;
    const event = this.event(
      'PAYMENT.CAPTURE.REFUNDED',
      'refund',
      resource,
      'A payment was refunded',
    );
    return [201, resource, event];
  }

  private verify(body: Json): Json {
    const id = body.transmission_id as string | undefined;
    const known = id ? this.transmissions.get(id) : undefined;
    const event = body.webhook_event as Json | undefined;
    const ok =
      known !== undefined &&
      known.signature === body.transmission_sig &&
      known.webhookId === body.webhook_id &&
      event?.id === known.eventId;
    return { verification_status: ok ? 'SUCCESS' : 'FAILURE' };
  }

  private async hostedPage(req: FakeRequest, res: ServerResponse): Promise<void> {
    const id = req.query.get('token') ?? '';
    const order = this.orders.get(id);
    if (!order) return sendHtml(res, 404, '<h1>Unknown PayPal order</h1>');
    const context = order.application_context as { return_url?: string; cancel_url?: string };
    if (req.method === 'POST') {
      await this.approve(id);
      const back = context.return_url
        ? `${context.return_url}${context.return_url.includes('?') ? '&' : '?'}token=${id}&PayerID=FAKEPAYER01`
        : `${this.url}/checkoutnow?token=${id}`;
      return redirect(res, back);
    }
    const amount = ((order.purchase_units as Json[])[0]!.amount ?? {}) as {
      value?: string;
      currency_code?: string;
    };
    sendHtml(
      res,
      200,
      `<!doctype html><html><head><meta charset="utf-8"><title>Fake PayPal</title></head><body>
<h1>Fake PayPal</h1><p>Sandbox. Pay <strong>${escapeHtml(`${amount.value} ${amount.currency_code}`)}</strong>. Order status: ${escapeHtml(String(order.status))}</p>
<form method="post" action="/checkoutnow?token=${escapeHtml(id)}"><button type="submit">Approve and pay</button></form>
${context.cancel_url ? `<p><a href="${escapeHtml(context.cancel_url)}">Cancel</a></p>` : ''}
</body></html>`,
    );
  }

  private mustGet<T>(map: Map<string, T>, id: string): T {
    const found = map.get(id);
    if (!found) throw new Error(`FakePayPal: no such object ${id}`);
    return found;
  }
}

function decimals(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** "12.50" → 1250; null when the string is not a valid amount for the currency. */
export function toMinor(value: string, currency: string): number | null {
  const d = decimals(currency);
  const match =
    d === 0 ? /^(\d+)$/.exec(value) : new RegExp(`^(\\d+)(?:\\.(\\d{1,${d}}))?$`).exec(value);
  if (!match) return null;
  return Number(match[1]) * 10 ** d + Number((match[2] ?? '').padEnd(d, '0') || '0');
}

export function toMajor(minor: number, currency: string): string {
  const d = decimals(currency);
  if (d === 0) return String(minor);
  const digits = String(minor).padStart(d + 1, '0');
  return `${digits.slice(0, -d)}.${digits.slice(-d)}`;
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

function notFoundError(id: string): [number, unknown] {
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

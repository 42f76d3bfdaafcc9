import { randomBytes } from 'node:crypto';
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
import { toMinor } from './paypal-money';
import { PayPalBilling } from './paypal-billing';
import { notFoundError, type PayPalEvent } from './paypal-orders';
import {
  PAYPAL_AUTH_ALGO,
  sharedIdentity,
  signDelivery,
  verifyRequest,
  type SigningIdentity,
} from './paypal-signing';

export { PAYPAL_UNSUPPORTED_CURRENCIES, toMajor, toMinor } from './paypal-money';
export type { PayPalEvent } from './paypal-orders';

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
  /** Coalesce state-file writes within this many ms (0: after every request). */
  stateSaveDelayMs?: number;
}

/**
 * A local PayPal REST API (OAuth token, Orders v2, captures, refunds, webhook signature
 * verification) for the real @paypal/checkout-server-sdk, plus donor/PayPal-side helpers
 * that approve orders and deliver webhooks with PayPal's transmission headers.
 */
export class FakePayPal extends PayPalBilling {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookId: string;
  webhookUrl?: string;
  readonly deliveries: Delivery[] = [];
  readonly calls: { method: string; path: string; body: unknown }[] = [];
  private readonly tokens = new Set<string>();
  private readonly requestIds = new Map<
    string,
    { status: number; body: unknown; request: string }
  >();
  /** PayPal's signing key and certificate (served at certUrl): the saved one, else the process's. */
  private savedIdentity?: SigningIdentity;
  private readonly server = new LocalServer(async (req, res) => {
    await this.route(req, res);
    this.save();
  });
  private readonly state?: StateFile;

  constructor(private readonly options: FakePayPalOptions = {}) {
    super(options.feeFor);
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.webhookId = options.webhookId ?? 'WH-FAKE-0001';
    this.webhookUrl = options.webhookUrl;
    this.state = options.stateFile
      ? new StateFile(options.stateFile, options.stateSaveDelayMs)
      : undefined;
    const saved = this.state?.loadMaps(this.persisted());
    if (saved) this.restore(saved);
  }

  /** What a restart needs: orders, captures, refunds, the statement, issued tokens, the key. */
  private persisted(): Record<string, Map<unknown, unknown>> {
    return {
      orders: this.orders,
      captures: this.captures,
      refunds: this.refunds,
      captureOutcome: this.captureOutcome,
      requestIds: this.requestIds,
      products: this.products,
      plans: this.plans,
      subscriptions: this.subscriptions,
      sales: this.sales,
    };
  }

  /** Writes the state file now (after every request; call it after using the helpers directly). */
  save(): void {
    this.state?.saveMaps(this.persisted(), {
      reportingTransactions: this.reportingTransactions,
      tokens: [...this.tokens],
      identity: this.identity,
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
    const identity = saved.identity as SigningIdentity | undefined;
    if (identity?.privateKeyPem && identity.certificatePem) this.savedIdentity = identity;
  }

  private get identity(): SigningIdentity {
    return this.savedIdentity ?? sharedIdentity();
  }

  get port(): number {
    return this.server.port;
  }

  get url(): string {
    return this.server.url;
  }

  /** Where the certificate of the signing key is served (the PAYPAL-CERT-URL of deliveries). */
  get certUrl(): string {
    return `${this.url}/v1/notifications/certs/CERT-FAKE`;
  }

  /** host: the interface to listen on (loopback unless a container must be reached from outside). */
  start(port = 0, host?: string): Promise<string> {
    return this.server.start(port, host);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.state?.flush();
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

  /**
   * The donor approves a subscription on PayPal (its approve link): it becomes ACTIVE and the
   * first cycle is charged — BILLING.SUBSCRIPTION.ACTIVATED, then PAYMENT.SALE.COMPLETED.
   */
  async approveSubscription(
    id: string,
    options: { deliver?: boolean } = {},
  ): Promise<PayPalEvent[]> {
    const events = this.activate(id);
    if (options.deliver !== false) for (const e of events) await this.deliver(e);
    this.save();
    return events;
  }

  /** The fake's clock: the next billing cycle is charged (nothing for a cancelled subscription). */
  async advance(id: string, options: { deliver?: boolean } = {}): Promise<PayPalEvent[]> {
    const events = this.bill(this.mustGet(this.subscriptions, id));
    if (options.deliver !== false) for (const e of events) await this.deliver(e);
    this.save();
    return events;
  }

  /** The donor's funding source declines the subscription's next charge (one attempt). */
  declineNextCharge(id: string): void {
    this.mustGet(this.subscriptions, id);
    this.declineNext.add(id);
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

  /**
   * POSTs the event with PayPal's transmission headers, signed over these exact bytes.
   * `payload` replaces the default serialization (compact JSON), to send the bytes a real
   * delivery might have (another key order, spacing, `\/` escapes) — the signature covers them.
   */
  async deliver(event: PayPalEvent, url = this.webhookUrl, payload?: string): Promise<Delivery> {
    if (!url) throw new Error('FakePayPal: no webhookUrl to deliver to');
    const body = payload ?? JSON.stringify(event);
    const res = await postWebhook(url, body, this.transmissionHeaders(body));
    const delivery = {
      eventId: event.id,
      type: event.event_type,
      status: res.status,
      body: res.body,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** Headers PayPal sends with a webhook: SHA256withRSA over ids, webhook id and CRC32 of `payload`. */
  transmissionHeaders(payload: string): Record<string, string> {
    const transmissionId = fakeId('tx-');
    const time = new Date().toISOString();
    const signature = signDelivery(this.identity, {
      transmissionId,
      time,
      webhookId: this.webhookId,
      body: payload,
    });
    return {
      'paypal-transmission-id': transmissionId,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': signature,
      'paypal-cert-url': this.certUrl,
      'paypal-auth-algo': PAYPAL_AUTH_ALGO,
    };
  }

  // --- HTTP API -------------------------------------------------------------------------

  private async route(req: FakeRequest, res: ServerResponse): Promise<void> {
    if (req.path === '/checkoutnow') return this.hostedPage(req, res);
    if (req.path === '/webapps/billing/subscriptions') return this.subscriptionPage(req, res);
    if (req.method === 'POST' && req.path === '/v1/oauth2/token') return this.token(req, res);
    if (req.method === 'GET' && this.certUrl.endsWith(req.path)) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' });
      return void res.end(this.identity.certificatePem);
    }
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
    if (req.method === 'POST' && req.path === '/v1/notifications/verify-webhook-signature')
      return sendJson(res, 200, {
        verification_status: verifyRequest(this.identity, req.rawBody, this.certUrl),
      });
    const [status, result, after] = this.api(req.method, req.path.split('/').filter(Boolean), body);
    if (replayKey && status < 300)
      this.requestIds.set(replayKey, { status, body: result, request });
    if (status === 204) {
      res.writeHead(204, { 'paypal-debug-id': fakeId('dbg') });
      res.end();
    } else sendJson(res, status, result, { 'paypal-debug-id': fakeId('dbg') });
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
    const billing = this.billingApi(method, path, body);
    if (billing) return billing;
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
    return [404, { name: 'RESOURCE_NOT_FOUND', message: `No route ${method} /${path.join('/')}` }];
  }

  private async hostedPage(req: FakeRequest, res: ServerResponse): Promise<void> {
    const id = req.query.get('token') ?? '';
    const order = this.orders.get(id);
    if (!order) return sendHtml(res, 404, '<h1>Unknown PayPal order</h1>');
    const context = this.contextOf(order);
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
}

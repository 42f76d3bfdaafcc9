import Stripe from 'stripe';
import { fakeId, type Json } from './http-util';

export type StripeObject = Json & { id: string };
export type StripeEvent = Json & { id: string; type: string; data: { object: StripeObject } };

/** Checkout's languages (Stripe refuses any other `locale`, e.g. 'be'). */
export const CHECKOUT_LOCALES = new Set(
  'auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hi-IN hr hu id it ja ko lt lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW'.split(
    ' ',
  ),
);

/**
 * What the fake Stripe holds (sessions, intents, charges, balance transactions, payouts, events)
 * and how it creates and looks up those objects, as Stripe shapes them.
 */
export class StripeState {
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

  constructor(
    private readonly feeFor: (amount: number, currency: string) => number = defaultFee,
    /**
     * The webhook endpoint's `api_version`: Stripe renders every event in it (whatever version a
     * request asked for). Default: the version the installed `stripe` package pins.
     */
    readonly apiVersion: string = Stripe.API_VERSION,
  ) {}

  protected publicSession(session: StripeObject): StripeObject {
    // payment_intent_data and subscription_data are create parameters, not fields of the
    // Session object; price is the fake's own note of the recurring Price it made.
    const { payment_intent_data: _omit, subscription_data: _sub, price: _price, ...rest } = session;
    return rest as StripeObject;
  }

  /** `expand[]=latest_charge.balance_transaction` and the like: replaces ids by objects. */
  protected expand(object: StripeObject, paths: string[]): StripeObject {
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

  protected lookup(id: string): StripeObject | undefined {
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

  protected ensureIntent(
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

  protected createCharge(intent: StripeObject, amount: number, currency: string): StripeObject {
    const fee = this.feeFor(amount, currency);
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
      api_version: this.apiVersion,
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

  protected mustGet(map: Map<string, StripeObject>, id: string): StripeObject {
    const found = map.get(id);
    if (!found) throw new Error(`FakeStripe: no such object ${id}`);
    return found;
  }
}

function defaultFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}

export function now(): number {
  return Math.floor(Date.now() / 1000);
}

export function apiError(message: string, type = 'invalid_request_error', code?: string): Json {
  return { error: { type, message, ...(code ? { code } : {}) } };
}

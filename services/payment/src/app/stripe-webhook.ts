import { PaymentError } from '../domain/errors';
import type Stripe from 'stripe';
import type { Command } from '../domain/donation';
import type { DonationLookup, ProviderRefsPatch } from '../db/repository';
import { moneyFromStripe, STRIPE_API_VERSION, type StripeEvent } from '../providers/stripe';
import { readStripeEvent, refId } from '../providers/stripe-event';
import { ProviderError } from '../providers/types';
import type { ApplyInput, Delivery } from './apply';
import type { AppDeps } from './deps';
import { applyDelivery, ignoreDelivery, type WebhookAnswer } from './webhook-answer';
import { handleStripeSubscriptionEvent, isSubscriptionEvent } from './stripe-subscription-webhook';

/**
 * POST /webhooks/stripe: verify the signature on the raw bytes, store the delivery in the inbox
 * and apply it (at once when a slot is free, else queued for the applier).
 */
export async function handleStripeWebhook(
  deps: AppDeps,
  rawBody: Buffer | undefined,
  signature: string | undefined,
): Promise<WebhookAnswer> {
  if (!rawBody || !signature)
    throw new PaymentError('invalid', 'Missing Stripe-Signature header or body.');
  const verified = verifiedEvent(deps, rawBody, signature);
  if ('received' in verified) return verified;
  return deps.inbox.receive({
    provider: 'stripe',
    eventId: verified.id,
    type: verified.type,
    rawBody: rawBody.toString('utf8'),
  });
}

/** Applies a stored (already verified) Stripe delivery: the fee lookup, then the one write path. */
export async function applyStripeDelivery(
  deps: AppDeps,
  body: unknown,
  delivery: Delivery,
): Promise<WebhookAnswer> {
  const read = readStripeEvent(body);
  if (!read.ok) return ignoreDelivery(deps, delivery, `unreadable ${delivery.type}`);
  const event = read.event;
  if (isSubscriptionEvent(event)) return handleStripeSubscriptionEvent(deps, event, delivery);
  let input: Mapped | null;
  try {
    input = await toInput(deps, event);
  } catch (err) {
    // Stripe answered 5xx or not at all: thrown, so the inbox tries again later.
    if (!(err instanceof ProviderError) || err.status === undefined || err.status >= 500) throw err;
    // Stripe answered 4xx (no such object) or sent a value we do not support: retrying will
    // not change that, so the event is acknowledged and the reason logged for a person.
    deps.logger.warn({ err, eventId: event.id, type: event.type }, 'Stripe event ignored');
    return ignoreDelivery(deps, delivery, err.message);
  }
  return applyDelivery(
    deps,
    {
      provider: 'stripe',
      lookup: input?.lookup ?? { donationId: '' },
      refs: input?.refs,
      commands: input?.commands ?? [],
      delivery,
    },
    { type: event.type, mapped: Boolean(input) },
  );
}

/**
 * The set-based applier's mapping of a stored Stripe delivery (the fee lookup included): null
 * when it is not a plain donation event (unreadable, subscription, not ours to map) — those take
 * applyStripeDelivery, one by one. Throws as toInput does (Stripe unreachable).
 */
export async function mapStripeDelivery(deps: AppDeps, body: unknown): Promise<Mapped | null> {
  const read = readStripeEvent(body);
  if (!read.ok || isSubscriptionEvent(read.event)) return null;
  return toInput(deps, read.event);
}

/** Verifies the signature, then reads the event's shape; an unreadable object is acknowledged. */
function verifiedEvent(
  deps: AppDeps,
  rawBody: Buffer,
  signature: string,
): StripeEvent | WebhookAnswer {
  let verified: StripeEvent;
  try {
    verified = deps.stripe.verify(rawBody, signature);
  } catch {
    throw new PaymentError(
      'invalid',
      'The Stripe-Signature does not match this payload and endpoint secret.',
    );
  }
  if (verified.api_version !== STRIPE_API_VERSION)
    // Stripe renders events in the endpoint's API version: another version means the endpoint
    // was created (or upgraded) without this code; the shape checks below still guard the read.
    deps.logger.warn(
      { eventId: verified.id, apiVersion: verified.api_version, expected: STRIPE_API_VERSION },
      'Stripe event in another API version than the code is typed for: recreate the webhook endpoint with the expected api_version',
    );
  const read = readStripeEvent(verified);
  if (!read.ok && read.envelope)
    throw new PaymentError('invalid', `This is not a Stripe event we can read: ${read.reason}`);
  if (!read.ok) {
    deps.logger.warn(
      { eventId: verified.id, type: verified.type, reason: read.reason },
      'unreadable Stripe event ignored',
    );
    return { received: true, outcome: `ignored: unreadable ${verified.type}` } as WebhookAnswer;
  }
  return read.event;
}

export type Mapped = Pick<ApplyInput, 'lookup' | 'refs' | 'commands'>;

async function toInput(deps: AppDeps, event: StripeEvent): Promise<Mapped | null> {
  switch (event.type) {
    case 'checkout.session.completed':
      return sessionCompleted(deps, event.data.object);
    case 'checkout.session.expired': {
      // The donor left (or the session was expired through the API): nothing was paid and this
      // checkout can take nothing more, so the donation ends expired instead of pending forever.
      const session = event.data.object;
      return {
        lookup: lookupOf(session.metadata, { donationId: session.client_reference_id ?? '' }),
        refs: { checkoutSessionId: session.id },
        commands: [{ kind: 'expire' }],
      };
    }
    case 'payment_intent.succeeded':
      return intentSucceeded(deps, event.data.object);
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      const reason =
        pi.last_payment_error?.message ?? pi.last_payment_error?.code ?? 'The payment failed.';
      return {
        lookup: lookupOf(pi.metadata, { paymentIntentId: pi.id }),
        refs: { paymentIntentId: pi.id },
        commands: [{ kind: 'fail', reason }],
      };
    }
    case 'charge.refunded':
      return chargeRefunded(deps, event.data.object);
    case 'charge.dispute.created':
    case 'charge.dispute.closed':
      return dispute(event.type, event.data.object);
    default:
      return null;
  }
}

function lookupOf(
  metadata: Stripe.Metadata | null | undefined,
  fallback: DonationLookup,
): DonationLookup {
  return metadata?.donationId ? { donationId: metadata.donationId } : fallback;
}

async function sessionCompleted(deps: AppDeps, session: Stripe.Checkout.Session): Promise<Mapped> {
  const intentId = refId(session.payment_intent);
  const refs: ProviderRefsPatch = { checkoutSessionId: session.id, paymentIntentId: intentId };
  const lookup = lookupOf(session.metadata, { donationId: session.client_reference_id ?? '' });
  // "unpaid" completions (delayed payment methods) wait for payment_intent.succeeded.
  if (session.payment_status !== 'paid' || !intentId) return { lookup, refs, commands: [] };
  const details = await deps.stripe.paymentDetails(intentId);
  return {
    lookup,
    refs: { ...refs, chargeId: details.chargeId },
    commands: [{ kind: 'succeed', fee: details.fee }],
  };
}

async function intentSucceeded(deps: AppDeps, pi: Stripe.PaymentIntent): Promise<Mapped> {
  const details = await deps.stripe.paymentDetails(pi.id);
  return {
    lookup: lookupOf(pi.metadata, { paymentIntentId: pi.id }),
    refs: { paymentIntentId: pi.id, chargeId: details.chargeId },
    commands: [{ kind: 'succeed', fee: details.fee }],
  };
}

/** charge.refunded carries the cumulative amount; the refund list gives each refund its id. */
async function chargeRefunded(deps: AppDeps, charge: Stripe.Charge): Promise<Mapped> {
  const intentId = refId(charge.payment_intent);
  const refunds = await deps.stripe.refundsOfCharge(charge.id);
  const commands: Command[] = refunds
    .reverse() // oldest first, so totals grow in the order they happened
    .map((r) => ({ kind: 'refund', refundId: r.refundId, amount: r.amount }));
  // Stripe copies the PaymentIntent's metadata (our donationId) to the charge: find the
  // donation even when this event overtook the payment webhook that taught us the intent id.
  const lookup = lookupOf(
    charge.metadata,
    intentId ? { paymentIntentId: intentId } : { chargeId: charge.id },
  );
  return { lookup, refs: { chargeId: charge.id }, commands };
}

function dispute(
  type: 'charge.dispute.created' | 'charge.dispute.closed',
  d: Stripe.Dispute,
): Mapped {
  const intentId = refId(d.payment_intent);
  const chargeId = refId(d.charge) ?? '';
  const lookup: DonationLookup = intentId ? { paymentIntentId: intentId } : { chargeId };
  const amount = moneyFromStripe(d.amount, d.currency);
  if (type === 'charge.dispute.created')
    return { lookup, commands: [{ kind: 'dispute-open', disputeId: d.id, amount }] };
  // warning_closed: an inquiry closed without a chargeback — the money stays, like a win.
  const outcome = d.status === 'lost' ? 'lost' : 'won';
  return { lookup, commands: [{ kind: 'dispute-close', disputeId: d.id, amount, outcome }] };
}

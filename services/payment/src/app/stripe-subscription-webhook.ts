// Stripe webhooks of monthly gifts. invoice.paid / invoice.payment_failed are installments: each
// invoice is one donation (installment 1 is the donation made with the subscription), booked
// through the one write path (applyToDonation) so fee, receipt, receipt mail and payment events
// work as for any gift. customer.subscription.* and the subscription-mode checkout completion
// keep the subscription's status, amount and provider ids.
import { idOf, Invoice, Session, Subscription } from '../providers/stripe-subscription-event';
import { z } from 'zod';
import type { Command } from '../domain/donation';
import type { SubscriptionSignal } from '../domain/subscription';
import type { Tx } from '../db/repository';
import { finishDelivery } from '../db/webhook-inbox';
import { moneyFromStripe, type StripeEvent } from '../providers/stripe';
import { applyToDonation, type Delivery } from './apply';
import type { AppDeps } from './deps';
import { ensureInstallment } from './installments';
import {
  findSubscriptionId,
  lockSubscription,
  recordAmount,
  transition,
  type SubscriptionPatch,
} from './subscriptions';
import {
  DUPLICATE_DELIVERY,
  finishedInTx,
  ignoreDelivery,
  type WebhookAnswer,
} from './webhook-answer';

const INVOICE_TYPES = new Set(['invoice.paid', 'invoice.payment_failed']);
const SUBSCRIPTION_TYPES = new Set([
  'customer.subscription.updated',
  'customer.subscription.deleted',
]);

/** Events of monthly gifts, which this module handles instead of the one-off gift mapping. */
export function isSubscriptionEvent(event: StripeEvent): boolean {
  if (INVOICE_TYPES.has(event.type) || SUBSCRIPTION_TYPES.has(event.type)) return true;
  const object = event.data.object as { mode?: unknown };
  return event.type === 'checkout.session.completed' && object.mode === 'subscription';
}

/** Applies a stored monthly-gift delivery (already verified, read and not applied yet). */
export async function handleStripeSubscriptionEvent(
  deps: AppDeps,
  event: StripeEvent,
  delivery: Delivery,
): Promise<WebhookAnswer> {
  const object = event.data.object;
  if (INVOICE_TYPES.has(event.type)) {
    const invoice = Invoice.safeParse(object);
    if (!invoice.success) return ignore(deps, delivery, 'unreadable invoice');
    return invoiceEvent(deps, delivery, invoice.data);
  }
  const parsed =
    event.type === 'checkout.session.completed'
      ? Session.safeParse(object)
      : Subscription.safeParse(object);
  if (!parsed.success) return ignore(deps, delivery, `unreadable ${event.type}`);
  return lifecycleEvent(deps, delivery, parsed.data);
}

/** Acknowledged and marked ignored, so a redelivery is a duplicate; a person reads the reason. */
async function ignore(deps: AppDeps, delivery: Delivery, why: string): Promise<WebhookAnswer> {
  deps.logger.warn({ eventId: delivery.eventId, type: delivery.type, why }, 'Stripe event ignored');
  return ignoreDelivery(deps, delivery, why);
}

type InvoiceObject = z.infer<typeof Invoice>;

async function invoiceEvent(
  deps: AppDeps,
  delivery: Delivery,
  invoice: InvoiceObject,
): Promise<WebhookAnswer> {
  const details = invoice.parent?.subscription_details;
  const paid = delivery.type === 'invoice.paid';
  let refs = {};
  // Stripe unreachable (ProviderError) is thrown: the delivery stays in the inbox for a retry.
  const command = paid ? await paidCommand(deps, invoice, (r) => (refs = r)) : failedCommand();
  const amount = moneyFromStripe(paid ? invoice.amount_paid : invoice.amount_due, invoice.currency);
  const periodEnd = invoice.lines?.data[0]?.period?.end;
  const booked = await deps.db.$transaction(async (tx) => {
    const id = await findSubscriptionId(
      tx,
      details?.metadata?.subscriptionId,
      idOf(details?.subscription),
    );
    if (!id) return null;
    const installment = await ensureInstallment(tx, id, {
      ref: { invoiceId: invoice.id },
      amount,
      first: invoice.billing_reason === 'subscription_create',
    });
    if (installment)
      await transition(
        deps,
        tx,
        installment.subscription,
        paid ? { kind: 'installment-paid' } : { kind: 'installment-failed' },
        {
          providerSubscriptionId: idOf(details?.subscription),
          nextChargeAt: periodEnd ? new Date(periodEnd * 1000) : undefined,
        },
      );
    return installment;
  });
  if (!booked) return ignore(deps, delivery, 'no monthly gift of ours');
  const result = await applyToDonation(deps, {
    provider: 'stripe',
    lookup: { donationId: booked.donationId },
    refs,
    commands: [command],
    delivery,
  });
  if (result.kind === 'duplicate') return DUPLICATE_DELIVERY;
  const facts = result.kind === 'applied' ? result.facts.map((f) => f.kind).join(',') : '';
  return { received: true, outcome: `installment ${booked.installment}: ${facts || 'no change'}` };
}

async function paidCommand(
  deps: AppDeps,
  invoice: InvoiceObject,
  setRefs: (refs: { paymentIntentId?: string; chargeId?: string }) => void,
): Promise<Command> {
  const intentId = await deps.stripe.subscriptions.invoicePaymentIntent(invoice.id);
  if (!intentId) return { kind: 'succeed', fee: null };
  const details = await deps.stripe.paymentDetails(intentId);
  setRefs({
    paymentIntentId: intentId,
    ...(details.chargeId ? { chargeId: details.chargeId } : {}),
  });
  return { kind: 'succeed', fee: details.fee };
}

function failedCommand(): Command {
  // Stripe retries the invoice on its schedule; a later invoice.paid books this same donation.
  return {
    kind: 'fail',
    reason: "The card was declined for this month's gift; Stripe will try again.",
  };
}

type SessionObject = z.infer<typeof Session>;
type LifecycleObject = z.infer<typeof Subscription> | SessionObject;
const isSession = (o: LifecycleObject): o is SessionObject => o.object === 'checkout.session';

async function lifecycleEvent(
  deps: AppDeps,
  delivery: Delivery,
  object: LifecycleObject,
): Promise<WebhookAnswer> {
  const outcome = await finishedInTx(deps, async (tx) => {
    const theirs = isSession(object) ? idOf(object.subscription) : object.id;
    const id = await findSubscriptionId(tx, object.metadata?.subscriptionId, theirs);
    const sub = id ? await lockSubscription(tx, id) : null;
    if (!sub) {
      await finishDelivery(tx, delivery, 'ignored', 'ignored: no monthly gift of ours', null);
      return 'no such subscription';
    }
    const result = await applyLifecycle(deps, tx, sub, delivery.type, object, theirs);
    await finishDelivery(tx, delivery, 'applied', result, null);
    return result;
  });
  if (outcome === null) return DUPLICATE_DELIVERY;
  return { received: true, outcome };
}

async function applyLifecycle(
  deps: AppDeps,
  tx: Tx,
  sub: NonNullable<Awaited<ReturnType<typeof lockSubscription>>>,
  type: string,
  object: LifecycleObject,
  theirs: string | null,
): Promise<string> {
  const patch: SubscriptionPatch = {
    providerSubscriptionId: theirs,
    providerCustomerId: idOf(object.customer),
  };
  if (isSession(object)) {
    await transition(deps, tx, sub, null, patch);
    return `subscription ${sub.status}`;
  }
  const item = object.items.data[0];
  if (item?.current_period_end) patch.nextChargeAt = new Date(item.current_period_end * 1000);
  const signal = subscriptionSignal(type, object.status);
  let updated = await transition(deps, tx, sub, signal, patch);
  // An amount changed elsewhere (the Stripe dashboard) is the gift's new amount too.
  if (item?.price.unit_amount && updated.status !== 'cancelled')
    updated = await recordAmount(
      deps,
      tx,
      updated,
      moneyFromStripe(item.price.unit_amount, item.price.currency),
    );
  return `subscription ${updated.status}`;
}

function subscriptionSignal(type: string, status: string): SubscriptionSignal | null {
  if (type === 'customer.subscription.deleted' || status === 'canceled')
    return { kind: 'cancelled', reason: 'provider' };
  if (status === 'active') return { kind: 'provider-status', status: 'active' };
  if (status === 'past_due') return { kind: 'provider-status', status: 'past_due' };
  if (status === 'unpaid') return { kind: 'cancelled', reason: 'payment-failed' };
  return null;
}

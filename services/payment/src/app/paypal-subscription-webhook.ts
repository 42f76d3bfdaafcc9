import { moneyFromColumn } from '@bfi/money';
// PayPal webhooks of monthly gifts, after the same verification as every PayPal delivery (raw
// body, verify-webhook-signature). PAYMENT.SALE.COMPLETED is one installment each (the first
// books the donation made with the subscription); BILLING.SUBSCRIPTION.PAYMENT.FAILED a failed
// one; BILLING.SUBSCRIPTION.ACTIVATED / CANCELLED the gift's start and end.
import { Sale, Subscription } from '../providers/paypal-subscription-event';
import { z } from 'zod';
import type { Command } from '../domain/donation';
import type { SubscriptionSignal } from '../domain/subscription';
import { finishDelivery } from '../db/webhook-inbox';
import { moneyFromPayPal, type PayPalWebhookEvent } from '../providers/paypal';
import { applyToDonation, type Delivery } from './apply';
import type { AppDeps } from './deps';
import { ensureInstallment, type InstallmentCharge } from './installments';
import { findSubscriptionId, lockSubscription, transition } from './subscriptions';
import {
  DUPLICATE_DELIVERY,
  finishedInTx,
  ignoreDelivery,
  type WebhookAnswer,
} from './webhook-answer';

const LIFECYCLE = new Set(['BILLING.SUBSCRIPTION.ACTIVATED', 'BILLING.SUBSCRIPTION.CANCELLED']);
const INSTALLMENT = new Set(['PAYMENT.SALE.COMPLETED', 'BILLING.SUBSCRIPTION.PAYMENT.FAILED']);

export function isPayPalSubscriptionEvent(event: PayPalWebhookEvent): boolean {
  return LIFECYCLE.has(event.event_type) || INSTALLMENT.has(event.event_type);
}

/** Applies a stored monthly-gift delivery (verified when it was received, not applied yet). */
export async function handlePayPalSubscriptionEvent(
  deps: AppDeps,
  event: PayPalWebhookEvent,
  delivery: Delivery,
): Promise<WebhookAnswer> {
  if (event.event_type === 'PAYMENT.SALE.COMPLETED') {
    const sale = Sale.safeParse(event.resource);
    if (!sale.success) return ignore(deps, delivery, 'unreadable sale');
    return saleCompleted(deps, delivery, sale.data);
  }
  const sub = Subscription.safeParse(event.resource);
  if (!sub.success) return ignore(deps, delivery, 'unreadable subscription');
  if (event.event_type === 'BILLING.SUBSCRIPTION.PAYMENT.FAILED')
    return paymentFailed(deps, delivery, sub.data);
  return lifecycle(deps, delivery, sub.data);
}

function ignore(deps: AppDeps, delivery: Delivery, why: string): Promise<WebhookAnswer> {
  return ignoreDelivery(deps, delivery, why);
}

/** Books the charge as its installment's donation, then applies `command` to it. */
async function installment(
  deps: AppDeps,
  delivery: Delivery,
  ids: { ours: string | null | undefined; theirs: string | null | undefined },
  charge: InstallmentCharge,
  signal: SubscriptionSignal,
  command: Command,
): Promise<WebhookAnswer> {
  const booked = await deps.db.$transaction(async (tx) => {
    const id = await findSubscriptionId(tx, ids.ours, ids.theirs);
    const found = id ? await ensureInstallment(tx, id, charge) : null;
    if (found)
      await transition(deps, tx, found.subscription, signal, {
        providerSubscriptionId: ids.theirs,
      });
    return found;
  });
  if (!booked) return ignore(deps, delivery, 'no monthly gift of ours');
  const result = await applyToDonation(deps, {
    provider: 'paypal',
    lookup: { donationId: booked.donationId },
    commands: [command],
    delivery,
  });
  if (result.kind === 'duplicate') return DUPLICATE_DELIVERY;
  const facts = result.kind === 'applied' ? result.facts.map((f) => f.kind).join(',') : '';
  return { received: true, outcome: `installment ${booked.installment}: ${facts || 'no change'}` };
}

function saleCompleted(
  deps: AppDeps,
  delivery: Delivery,
  sale: z.infer<typeof Sale>,
): Promise<WebhookAnswer> {
  const amount = moneyFromPayPal({ currency_code: sale.amount.currency, value: sale.amount.total });
  const fee = sale.transaction_fee
    ? moneyFromPayPal({
        currency_code: sale.transaction_fee.currency,
        value: sale.transaction_fee.value,
      })
    : null;
  const command: Command =
    sale.state === 'completed'
      ? { kind: 'succeed', fee }
      : { kind: 'fail', reason: `PayPal sale ${sale.state}` };
  return installment(
    deps,
    delivery,
    { ours: sale.custom, theirs: sale.billing_agreement_id },
    // The first sale of a subscription is the donation made with it (installment 1).
    { ref: { saleId: sale.id }, amount, first: true },
    { kind: 'installment-paid' },
    command,
  );
}

async function paymentFailed(
  deps: AppDeps,
  delivery: Delivery,
  sub: z.infer<typeof Subscription>,
): Promise<WebhookAnswer> {
  const failed = sub.billing_info?.last_failed_payment?.amount;
  const ours = await deps.db.subscription.findFirst({
    where: {
      OR: [{ providerSubscriptionId: sub.id }, ...(sub.custom_id ? [{ id: sub.custom_id }] : [])],
    },
  });
  if (!ours) return ignore(deps, delivery, 'no monthly gift of ours');
  const amount = failed
    ? moneyFromPayPal(failed)
    : moneyFromColumn(ours.amountMinor, ours.currency);
  return installment(
    deps,
    delivery,
    { ours: ours.id, theirs: sub.id },
    // A failed charge has no sale: the delivery's id names the attempt (once per attempt).
    { ref: { saleId: `failed:${delivery.eventId}` }, amount, first: true },
    { kind: 'installment-failed' },
    { kind: 'fail', reason: "PayPal could not charge this month's gift; PayPal will try again." },
  );
}

async function lifecycle(
  deps: AppDeps,
  delivery: Delivery,
  resource: z.infer<typeof Subscription>,
): Promise<WebhookAnswer> {
  const outcome = await finishedInTx(deps, async (tx) => {
    const id = await findSubscriptionId(tx, resource.custom_id, resource.id);
    const sub = id ? await lockSubscription(tx, id) : null;
    if (!sub) {
      await finishDelivery(tx, delivery, 'ignored', 'ignored: no monthly gift of ours', null);
      return 'no such subscription';
    }
    const signal: SubscriptionSignal =
      delivery.type === 'BILLING.SUBSCRIPTION.CANCELLED'
        ? { kind: 'cancelled', reason: 'provider' }
        : { kind: 'provider-status', status: 'active' };
    const next = resource.billing_info?.next_billing_time;
    const updated = await transition(deps, tx, sub, signal, {
      providerSubscriptionId: resource.id,
      nextChargeAt: next ? new Date(next) : undefined,
    });
    const result = `subscription ${updated.status}`;
    await finishDelivery(tx, delivery, 'applied', result, null);
    return result;
  });
  if (outcome === null) return DUPLICATE_DELIVERY;
  return { received: true, outcome };
}

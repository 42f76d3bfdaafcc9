// Monthly gifts: the subscription row made with the first installment's donation, its
// checkout at the provider, and every change of its status, each written with its lifecycle
// event (outbox) in one transaction, under the subscription's row lock.
import { enqueue } from '@bfi/messaging';
import type { Money } from '@bfi/money';
import type { Subscription } from '../db/generated/client';
import type { DonationRow, Tx } from '../db/repository';
import {
  nextStatus,
  type SubscriptionSignal,
  type SubscriptionStatus,
} from '../domain/subscription';
import {
  subscriptionAmountChanged,
  subscriptionCancelled,
  subscriptionStarted,
} from '../events/subscription-events';
import type { CheckoutRequest, CheckoutResult } from '../providers/types';
import type { AppDeps } from './deps';
import { signManageToken } from './manage-token';

export type Frequency = 'once' | 'monthly';

/** What the subscription row copies from the first gift. */
export interface SubscriptionSeed {
  amount: Money;
  fund: string;
  provider: 'stripe' | 'paypal';
  channel: string;
  officeId: string | null;
  donorName: string | null;
  donorEmail: string | null;
  locale: string | null;
}

/** Inside the donation's insert transaction: the subscription the donation is installment 1 of. */
export async function insertSubscription(
  tx: Tx,
  id: string,
  seed: SubscriptionSeed,
): Promise<void> {
  await tx.subscription.create({
    data: {
      id,
      status: 'pending',
      provider: seed.provider,
      amountMinor: BigInt(seed.amount.minor),
      currency: seed.amount.currency,
      fund: seed.fund,
      channel: seed.channel,
      officeId: seed.officeId,
      donorName: seed.donorName,
      donorEmail: seed.donorEmail,
      locale: seed.locale,
    },
  });
}

/** The provider checkout of installment 1 (Stripe Checkout in subscription mode, PayPal plan). */
export async function subscriptionCheckout(
  deps: AppDeps,
  row: DonationRow,
  request: CheckoutRequest,
): Promise<CheckoutResult> {
  const subscriptionId = row.subscriptionId!;
  if (row.provider === 'stripe')
    return deps.stripe.subscriptions.createCheckout({ ...request, subscriptionId });
  const created = await deps.paypal.subscriptions.createSubscription({
    ...request,
    subscriptionId,
  });
  await deps.db.subscription.update({
    where: { id: subscriptionId },
    data: { providerSubscriptionId: created.subscriptionId, providerPlanId: created.planId },
  });
  return { redirectUrl: created.redirectUrl };
}

/** Reads the subscription and locks its row until the transaction ends. */
export async function lockSubscription(tx: Tx, id: string): Promise<Subscription | null> {
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
    'SELECT id::text FROM subscription WHERE id = $1::uuid FOR UPDATE',
    id,
  );
  if (locked.length === 0) return null;
  return tx.subscription.findUnique({ where: { id } });
}

/** Our subscription for a provider's: by the id we gave it (metadata/custom_id), else by theirs. */
export async function findSubscriptionId(
  tx: Tx,
  ours: string | null | undefined,
  theirs: string | null | undefined,
): Promise<string | null> {
  if (ours && /^[0-9a-f-]{36}$/i.test(ours)) {
    const row = await tx.subscription.findUnique({ where: { id: ours }, select: { id: true } });
    if (row) return row.id;
  }
  if (!theirs) return null;
  const row = await tx.subscription.findUnique({
    where: { providerSubscriptionId: theirs },
    select: { id: true },
  });
  return row?.id ?? null;
}

export interface SubscriptionPatch {
  providerSubscriptionId?: string | null;
  providerCustomerId?: string | null;
  providerPlanId?: string | null;
  nextChargeAt?: Date | null;
}

/**
 * Applies one signal to the locked subscription: its status (nextStatus), the provider facts
 * learnt with it, and the lifecycle event when the gift starts or ends.
 */
export async function transition(
  deps: AppDeps,
  tx: Tx,
  sub: Subscription,
  signal: SubscriptionSignal | null,
  patch: SubscriptionPatch = {},
): Promise<Subscription> {
  const at = deps.now();
  const change = signal
    ? nextStatus(sub.status as SubscriptionStatus, signal)
    : { status: sub.status as SubscriptionStatus, started: false, cancelled: null };
  const known = Object.fromEntries(
    Object.entries(patch).filter(([, v]) => v !== undefined && v !== null),
  );
  const updated = await tx.subscription.update({
    where: { id: sub.id },
    data: {
      ...known,
      status: change.status,
      ...(change.started ? { startedAt: at } : {}),
      ...(change.cancelled
        ? { cancelledAt: at, cancelReason: change.cancelled, nextChargeAt: null }
        : {}),
      ...(change.status === 'cancelled' && !change.cancelled ? { nextChargeAt: null } : {}),
    },
  });
  const events = [
    ...(change.started ? [subscriptionStarted(updated, at)] : []),
    ...(change.cancelled ? [subscriptionCancelled(updated, change.cancelled, at)] : []),
  ];
  if (events.length > 0) {
    await enqueue(tx, events, deps.namespace);
    deps.relay.nudge();
  }
  return updated;
}

/** A new amount for the next installments, with its event. */
export async function recordAmount(
  deps: AppDeps,
  tx: Tx,
  sub: Subscription,
  amount: Money,
): Promise<Subscription> {
  if (Number(sub.amountMinor) === amount.minor) return sub;
  const previous = { minor: Number(sub.amountMinor), currency: sub.currency as Money['currency'] };
  const updated = await tx.subscription.update({
    where: { id: sub.id },
    data: { amountMinor: BigInt(amount.minor) },
  });
  await enqueue(tx, [subscriptionAmountChanged(updated, previous, deps.now())], deps.namespace);
  deps.relay.nudge();
  return updated;
}

/** What POST /donations adds for a monthly gift: the subscription and its manage token. */
export interface NewSubscriptionView {
  id: string;
  manageToken: string;
}

export function seedOf(
  input: {
    amount: Money;
    fund: string;
    provider: 'stripe' | 'paypal';
    donorName: string | null;
    donorEmail: string | null;
    locale?: string;
  },
  at: { channel: string; officeId: string | null },
): SubscriptionSeed {
  return {
    amount: input.amount,
    fund: input.fund,
    provider: input.provider,
    channel: at.channel,
    officeId: at.officeId,
    donorName: input.donorName,
    donorEmail: input.donorEmail,
    locale: input.locale ?? null,
  };
}

/**
 * Why a monthly gift cannot be taken as asked, before anything is created: the receipts and the
 * manage link reach the donor only by e-mail, and a counter QR stands for one payment.
 */
export function monthlyRefusal(input: {
  frequency?: Frequency;
  donorEmail: string | null;
  coverFee?: boolean;
}): { detail: string; code: string } | null {
  if (input.frequency !== 'monthly') return null;
  if (!input.donorEmail)
    return {
      code: 'monthly-needs-email',
      detail:
        'A monthly gift needs your e-mail address: each month’s receipt and the link to change or cancel the gift are sent there.',
    };
  // Every installment is charged the subscription's amount; an estimate added to the first
  // charge only would book installments that disagree with what the provider takes.
  if (input.coverFee)
    return {
      code: 'cover-fee-not-monthly',
      detail: 'Covering the card fee works for one-off gifts only; choose once, or leave it out.',
    };
  return null;
}

export async function withSubscription<T extends object>(
  deps: AppDeps,
  row: DonationRow,
  view: T,
): Promise<T & { subscription?: NewSubscriptionView }> {
  if (!row.subscriptionId) return view;
  const manageToken = await signManageToken(deps.config.manage, row.subscriptionId, deps.now());
  return { ...view, subscription: { id: row.subscriptionId, manageToken } };
}

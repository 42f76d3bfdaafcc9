// A monthly gift's status as a pure rule. Providers tell us about a subscription through
// several events that arrive late, twice and out of order (an installment paid or failed, the
// provider's own status, a cancellation); every one goes through nextStatus(). Cancelled is
// final: nothing a provider sends afterwards revives a gift the donor ended.

export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'past_due', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type CancelReason = 'donor' | 'provider' | 'payment-failed';

export type SubscriptionSignal =
  | { kind: 'installment-paid' }
  | { kind: 'installment-failed' }
  /** The provider's own view of the subscription (Stripe status, PayPal ACTIVE/SUSPENDED). */
  | { kind: 'provider-status'; status: 'active' | 'past_due' }
  | { kind: 'cancelled'; reason: CancelReason };

export interface StatusChange {
  status: SubscriptionStatus;
  /** pending → active/past_due: the gift began (payment.subscription-started.v1). */
  started: boolean;
  /** → cancelled (payment.subscription-cancelled.v1 with this reason). */
  cancelled: CancelReason | null;
}

export function nextStatus(current: SubscriptionStatus, signal: SubscriptionSignal): StatusChange {
  const same: StatusChange = { status: current, started: false, cancelled: null };
  if (current === 'cancelled') return same;
  if (signal.kind === 'cancelled')
    return { status: 'cancelled', started: false, cancelled: signal.reason };
  // A failed first charge starts nothing: no money has come from this gift yet.
  if (signal.kind === 'installment-failed')
    return current === 'pending' ? same : { ...same, status: 'past_due' };
  const status = signal.kind === 'installment-paid' ? 'active' : signal.status;
  if (current === 'pending' && status === 'past_due') return same;
  return { status, started: current === 'pending', cancelled: null };
}

/** "a***@example.com" for the manage page (the link may be forwarded). */
export { maskEmail } from './receipt-mail';

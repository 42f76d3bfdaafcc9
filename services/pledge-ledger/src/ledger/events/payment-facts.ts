import type { AnyEvent, ProviderRefs } from '@bfi/events';
import type { PaymentFact } from '../domain';

export const PAYMENT_TYPES = [
  'payment.succeeded.v1',
  'payment.refunded.v1',
  'payment.disputed.v1',
  'payment.dispute-closed.v1',
] as const;
export type LedgerPaymentType = (typeof PAYMENT_TYPES)[number];
export type PaymentEvent = Extract<AnyEvent, { type: LedgerPaymentType }>;

export function isLedgerPaymentEvent(event: AnyEvent): event is PaymentEvent {
  return (PAYMENT_TYPES as readonly string[]).includes(event.type);
}

/** The provider's reference of the money movement: Stripe charge / payment intent, PayPal capture / order. */
export function primaryRef(refs: ProviderRefs): string | null {
  return (
    refs.chargeId ??
    refs.captureId ??
    refs.paymentIntentId ??
    refs.orderId ??
    refs.checkoutSessionId ??
    null
  );
}

/** Maps the wire contract (@bfi/events) to the domain's PaymentFact. */
export function toFact(event: PaymentEvent): PaymentFact {
  const d = event.data;
  const base = {
    donationId: d.donationId,
    fund: d.fund,
    channel: d.channel,
    officeId: d.officeId,
    provider: d.provider,
    providerRef: primaryRef(d.providerRefs),
    gross: d.gross,
    occurredAt: d.occurredAt,
  };
  switch (event.type) {
    case 'payment.succeeded.v1':
      return {
        ...base,
        type: 'succeeded',
        fee: event.data.fee,
        coveredFee: event.data.coveredFee ?? null,
      };
    case 'payment.refunded.v1':
      return {
        ...base,
        type: 'refunded',
        refundId: event.data.refundId,
        amount: event.data.amount,
      };
    case 'payment.disputed.v1':
      return {
        ...base,
        type: 'disputed',
        disputeId: event.data.disputeId,
        amount: event.data.amount,
      };
    case 'payment.dispute-closed.v1':
      return {
        ...base,
        type: 'dispute-closed',
        disputeId: event.data.disputeId,
        amount: event.data.amount,
        outcome: event.data.outcome,
      };
  }
}

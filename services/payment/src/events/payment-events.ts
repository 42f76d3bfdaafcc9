import {
  createEvent,
  type AnyEvent,
  type Channel,
  type Provider,
  type ProviderRefs,
  type Recurrence,
} from '@bfi/events';
import type { Money } from '@bfi/money';
import type { DonationState, Fact } from '../domain/donation';
import type { DonationRow } from '../db/repository';

export const EVENT_SOURCE = '/services/payment';

function refsOf(row: DonationRow, extra: ProviderRefs = {}): ProviderRefs {
  const p = row.payment;
  const refs: ProviderRefs = {
    checkoutSessionId: p?.checkoutSessionId ?? undefined,
    paymentIntentId: p?.paymentIntentId ?? undefined,
    chargeId: p?.chargeId ?? undefined,
    orderId: p?.orderId ?? undefined,
    captureId: p?.captureId ?? undefined,
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(refs).filter(([, v]) => v !== undefined),
  ) as ProviderRefs;
}

/** An installment of a monthly gift says which one; a one-off gift carries no recurrence. */
function recurrenceOf(row: DonationRow): { recurrence?: Recurrence } {
  if (!row.subscriptionId || !row.installment) return {};
  const { subscriptionId, installment } = row;
  return { recurrence: { subscriptionId, installment, interval: 'month' } };
}

/**
 * The payment.* events for facts the state machine produced, with the full donation context.
 * An expiry publishes nothing: no money moved and no other service acts on it (the donor page
 * and the office console read payment's own status).
 */
export function eventsFor(
  row: DonationRow,
  state: DonationState,
  facts: Fact[],
  occurredAt: Date,
): AnyEvent[] {
  const base = (extra: ProviderRefs = {}) => ({
    donationId: row.id,
    provider: row.provider as Provider,
    providerRefs: refsOf(row, extra),
    channel: row.channel as Channel,
    officeId: row.officeId,
    donationPointId: row.donationPointId,
    fund: row.fund,
    gross: state.gross,
    fee: state.fee as Money | null,
    occurredAt: occurredAt.toISOString(),
    ...recurrenceOf(row),
  });
  const opts = { source: EVENT_SOURCE, subject: row.id };
  const published = facts.filter(
    (f): f is Exclude<Fact, { kind: 'expired' }> => f.kind !== 'expired',
  );
  return published.map((fact): AnyEvent => {
    switch (fact.kind) {
      case 'succeeded':
        return createEvent(
          'payment.succeeded.v1',
          { ...base(), ...(row.donorSecretHash ? { donorSecretHash: row.donorSecretHash } : {}) },
          opts,
        );
      case 'failed':
        return createEvent(
          'payment.failed.v1',
          { ...base(), reason: fact.reason.slice(0, 1000) || 'declined' },
          opts,
        );
      case 'refunded':
        return createEvent(
          'payment.refunded.v1',
          {
            ...base({ refundId: fact.refundId }),
            refundId: fact.refundId,
            amount: fact.amount,
            totalRefunded: fact.totalRefunded,
            fullyRefunded: fact.fullyRefunded,
          },
          opts,
        );
      case 'disputed':
        return createEvent(
          'payment.disputed.v1',
          {
            ...base({ disputeId: fact.disputeId }),
            disputeId: fact.disputeId,
            amount: fact.amount,
          },
          opts,
        );
      case 'dispute-closed':
        return createEvent(
          'payment.dispute-closed.v1',
          {
            ...base({ disputeId: fact.disputeId }),
            disputeId: fact.disputeId,
            amount: fact.amount,
            outcome: fact.outcome,
          },
          opts,
        );
    }
  });
}

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
import { coveredFeeOf } from '../app/cover-fee';

export const EVENT_SOURCE = '/services/payment';

function refsOf(row: DonationRow, extra: ProviderRefs = {}): ProviderRefs {
  const p = row.payment;
  const refs: ProviderRefs = {
    checkoutSessionId: p?.checkoutSessionId ?? undefined,
    paymentIntentId: p?.paymentIntentId ?? undefined,
    chargeId: p?.chargeId ?? undefined,
    orderId: p?.orderId ?? undefined,
    captureId: p?.captureId ?? undefined,
    invoiceId: p?.invoiceId ?? undefined,
    saleId: p?.saleId?.startsWith('failed:') ? undefined : (p?.saleId ?? undefined),
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(refs).filter(([, v]) => v !== undefined),
  ) as ProviderRefs;
}

/** Only a covered gift names its covered fee, so every other event stays as it was. */
function coveredFeePart(row: DonationRow): { coveredFee?: Money } {
  const covered = coveredFeeOf(row);
  return covered ? { coveredFee: covered } : {};
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
  const base = contextOf(row, state, occurredAt);
  return facts
    .filter((f): f is Published => f.kind !== 'expired')
    .map((fact) => eventOf(fact, row, base));
}

type Published = Exclude<Fact, { kind: 'expired' }>;

/** What every payment.* event says of its donation; `extra` adds the fact's provider ref. */
function contextOf(row: DonationRow, state: DonationState, occurredAt: Date) {
  return (extra: ProviderRefs = {}) => ({
    donationId: row.id,
    provider: row.provider as Provider,
    providerRefs: refsOf(row, extra),
    channel: row.channel as Channel,
    officeId: row.officeId,
    donationPointId: row.donationPointId,
    fund: row.fund,
    gross: state.gross,
    fee: state.fee as Money | null,
    ...coveredFeePart(row),
    occurredAt: occurredAt.toISOString(),
    ...recurrenceOf(row),
  });
}

function eventOf(fact: Published, row: DonationRow, base: ReturnType<typeof contextOf>): AnyEvent {
  const opts = { source: EVENT_SOURCE, subject: row.id };
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
}

// A realistic mix of the payment facts the ledger consumes, valid in per-donation order: ~80 %
// successes (with fee), ~13 % refunds, ~7 % disputes (the mix the retired per-service ledger bench used).
import { randomUUID } from 'node:crypto';
import { createEvent, type AnyEvent } from '@bfi/events';

function refund(data: PaymentData): AnyEvent {
  const amount = { minor: Math.ceil(data.gross.minor / 2), currency: 'BYN' as const };
  return createEvent(
    'payment.refunded.v1',
    {
      ...data,
      refundId: `re_${randomUUID()}`,
      amount,
      totalRefunded: amount,
      fullyRefunded: amount.minor === data.gross.minor,
    },
    SOURCE,
  );
}

function dispute(data: PaymentData): AnyEvent[] {
  const disputeId = `dp_${randomUUID()}`;
  const outcome = Math.random() < 0.5 ? ('won' as const) : ('lost' as const);
  return [
    createEvent('payment.disputed.v1', { ...data, disputeId, amount: data.gross }, SOURCE),
    createEvent(
      'payment.dispute-closed.v1',
      { ...data, disputeId, amount: data.gross, outcome },
      SOURCE,
    ),
  ];
}

const SOURCE = { source: '/services/payment' };

function succeeded() {
  const donationId = randomUUID();
  const gross = { minor: 500 + Math.floor(Math.random() * 20000), currency: 'BYN' as const };
  return {
    donationId,
    provider: 'stripe' as const,
    providerRefs: { chargeId: `ch_${donationId.slice(0, 12)}` },
    channel: 'online' as const,
    officeId: null,
    donationPointId: null,
    fund: Math.random() < 0.7 ? 'specialist-training' : 'general',
    gross,
    fee: { minor: Math.round(gross.minor * 0.029) + 10, currency: 'BYN' as const },
    occurredAt: new Date().toISOString(),
  };
}
type PaymentData = ReturnType<typeof succeeded>;

export function paymentEvents(n: number): AnyEvent[] {
  const events: AnyEvent[] = [];
  while (events.length < n) {
    const data = succeeded();
    events.push(createEvent('payment.succeeded.v1', data, SOURCE));
    const r = Math.random();
    if (r < 0.13) events.push(refund(data));
    else if (r < 0.2) events.push(...dispute(data));
  }
  return events.slice(0, n);
}

// payment.subscription-* → ledger_subscription (the monthly run-rate). The events carry the
// subscription's whole money context, so each one can be applied on its own; per-subscription
// order holds because subject (the Kafka key) is the subscription id.
import type { AnyEvent, EventOf } from '@bfi/events';
import type { EventHandler } from '@bfi/messaging';
import type { Tx } from '../../db/client';
import {
  recordSubscriptionChange,
  type SubscriptionChange,
  type SubscriptionFacts,
} from '../app/subscriptions';

export const SUBSCRIPTION_TYPES = [
  'payment.subscription-started.v1',
  'payment.subscription-amount-changed.v1',
  'payment.subscription-cancelled.v1',
] as const;
type SubscriptionEvent = EventOf<(typeof SUBSCRIPTION_TYPES)[number]>;

function isSubscriptionEvent(event: AnyEvent): event is SubscriptionEvent {
  return (SUBSCRIPTION_TYPES as readonly string[]).includes(event.type);
}

function factsOf(event: SubscriptionEvent): SubscriptionFacts {
  const d = event.data;
  return {
    subscriptionId: d.subscriptionId,
    provider: d.provider,
    fund: d.fund,
    amount: d.amount,
    occurredAt: new Date('startedAt' in d ? d.startedAt : d.occurredAt),
  };
}

const CHANGE_OF: Record<SubscriptionEvent['type'], SubscriptionChange> = {
  'payment.subscription-started.v1': 'started',
  'payment.subscription-amount-changed.v1': 'amount-changed',
  'payment.subscription-cancelled.v1': 'cancelled',
};

const applySubscriptionEvent: EventHandler<Tx> = async (event, tx) => {
  if (!isSubscriptionEvent(event)) return;
  await recordSubscriptionChange(tx, CHANGE_OF[event.type], factsOf(event));
};

/** Handlers for the payment consumer's table (same inbox, same topic). */
export const subscriptionHandlers: Record<string, EventHandler<Tx>> = Object.fromEntries(
  SUBSCRIPTION_TYPES.map((type) => [type, applySubscriptionEvent]),
);

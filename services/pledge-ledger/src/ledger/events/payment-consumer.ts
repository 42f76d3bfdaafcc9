import { TOPICS } from '@bfi/events';
import {
  InboxConsumer,
  type BatchHandler,
  type EventHandler,
  type Logger,
  type Transport,
} from '@bfi/messaging';
import type { Db, Tx } from '../../db/client';
import { applyPaymentEvent } from '../app/apply-payment-events';
import { applyPaymentEvents } from '../app/apply-payment-batch';
import { isLedgerPaymentEvent, PAYMENT_TYPES } from './payment-facts';
import { subscriptionHandlers } from './subscription-events';

export const CONSUMER_NAME = 'pledge-ledger';

/**
 * Consumer group and inbox name: 'pledge-ledger', prefixed by the topic namespace. Environments
 * (or test runs) sharing a cluster under different namespaces must not share a consumer group:
 * Kafka would hand one environment's partitions to the other's members.
 */
export function consumerName(namespace: string): string {
  return namespace + CONSUMER_NAME;
}

export interface PaymentConsumerDeps {
  db: Db;
  transport: Transport;
  namespace: string;
  logger: Logger;
  name?: string;
  /** Events applied per database transaction (see InboxConsumer.batchSize). */
  batchSize?: number;
  /** After a commit that posted entries: wake the outbox relay instead of waiting for its poll. */
  onCommitted?: () => void;
}

/** payment.* → journal entries, through the inbox (dedupe by event id), retries and the DLQ. */
export function createPaymentConsumer(deps: PaymentConsumerDeps): InboxConsumer<Tx> {
  const handler: EventHandler<Tx> = async (event, tx) => {
    // payment.failed has no ledger effect and no handler, so the consumer counts it as ignored.
    if (!isLedgerPaymentEvent(event)) return;
    const result = await applyPaymentEvent(tx, event, { namespace: deps.namespace });
    deps.logger.debug(
      { eventId: event.id, outcome: result.outcome },
      'payment event applied to the ledger',
    );
  };
  // A chunk: its payment events set-based (a fixed number of statements), the rest (subscription
  // lifecycle, keyed by subscription, so independent of the donations' order) one by one.
  const batchHandler: BatchHandler<Tx> = async (events, tx, inEventSpan) => {
    const result = await applyPaymentEvents(
      tx,
      events.filter(isLedgerPaymentEvent),
      { namespace: deps.namespace },
      inEventSpan,
    );
    for (const event of events) {
      const apply = subscriptionHandlers[event.type];
      if (apply) await inEventSpan(event, () => apply(event, tx));
    }
    deps.logger.debug(result, 'payment events applied to the ledger as a set');
  };
  return new InboxConsumer<Tx>({
    name: deps.name ?? consumerName(deps.namespace),
    transport: deps.transport,
    db: deps.db,
    topics: [deps.namespace + TOPICS.payment],
    handlers: {
      ...Object.fromEntries(PAYMENT_TYPES.map((type) => [type, handler])),
      ...subscriptionHandlers,
    },
    logger: deps.logger,
    batchSize: deps.batchSize,
    batchHandler,
    onCommitted: deps.onCommitted,
  });
}

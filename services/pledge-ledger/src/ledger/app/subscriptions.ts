import type { Tx } from '../../db/client';
import {
  subscriptionAmountChanged,
  subscriptionCancelled,
  subscriptionStarted,
  type SubscriptionFacts,
} from '../db/recurrence-repo';

export type { SubscriptionFacts };

/** What happened to a monthly gift, as payment's lifecycle events say. */
export type SubscriptionChange = 'started' | 'amount-changed' | 'cancelled';

/**
 * Applies one subscription change to the monthly run-rate (ledger_subscription), in the
 * caller's transaction (the inbox consumer's, so a redelivered event changes nothing twice).
 */
export function recordSubscriptionChange(
  tx: Tx,
  change: SubscriptionChange,
  facts: SubscriptionFacts,
): Promise<void> {
  switch (change) {
    case 'started':
      return subscriptionStarted(tx, facts);
    case 'amount-changed':
      return subscriptionAmountChanged(tx, facts);
    case 'cancelled':
      return subscriptionCancelled(tx, facts);
  }
}

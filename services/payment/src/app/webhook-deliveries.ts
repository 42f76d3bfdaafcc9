// What finance and admins see of the webhook inbox: the deliveries in one state — by default the
// given-up ones (never applied within the retry window), which a person must look into. The raw
// body is not shown (it can carry donor details); the provider's event id finds it there.
import { deliveriesInState } from '../db/webhook-inbox';
import type { WebhookDeliveryState } from '../domain/webhook-delivery';
import type { AppDeps } from './deps';

export async function listWebhookDeliveries(
  deps: AppDeps,
  query: { state: WebhookDeliveryState; limit: number },
) {
  const rows = await deliveriesInState(deps.db, query.state, query.limit);
  return {
    deliveries: rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      eventId: r.providerEventId,
      type: r.type,
      state: r.state as WebhookDeliveryState,
      outcome: r.outcome,
      attempts: r.attempts,
      lastError: r.lastError,
      donationId: r.donationId,
      receivedAt: r.receivedAt.toISOString(),
      nextAttemptAt: r.state === 'received' ? r.nextAttemptAt.toISOString() : null,
      appliedAt: r.appliedAt?.toISOString() ?? null,
    })),
  };
}

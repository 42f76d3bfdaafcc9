// Applies one stored delivery of the inbox: its raw body was verified when it was received, so
// it is only parsed here, with the same readers as then, and applied through the one write path.
import type { StoredDelivery } from '../db/webhook-inbox';
import type { AppDeps } from './deps';
import { applyPayPalDelivery } from './paypal-webhook';
import { applyStripeDelivery } from './stripe-webhook';
import { ignoreDelivery, type WebhookAnswer } from './webhook-answer';

export function applyStoredDelivery(deps: AppDeps, row: StoredDelivery): Promise<WebhookAnswer> {
  const delivery = { provider: row.provider, eventId: row.eventId, type: row.type };
  let body: unknown;
  try {
    body = JSON.parse(row.rawBody);
  } catch {
    return ignoreDelivery(deps, delivery, 'stored body is not JSON');
  }
  return row.provider === 'stripe'
    ? applyStripeDelivery(deps, body, delivery)
    : applyPayPalDelivery(deps, body, delivery);
}

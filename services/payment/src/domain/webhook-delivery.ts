/**
 * A stored provider delivery's state in the inbox: received (stored, waiting to be applied and
 * retried with backoff), applied, ignored (nothing of ours to change), gave-up (never applied
 * within the retry window: left for a person).
 */
export const WEBHOOK_DELIVERY_STATES = ['received', 'applied', 'ignored', 'gave-up'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

// The one answer of both webhooks (Stripe and PayPal): what a delivery changed, why it changed
// nothing, or that it is stored and queued (applied by the WebhookApplier). A delivery that
// overtook the event it depends on throws RetryLater and waits in the inbox for its next try.
import type { Logger } from 'pino';
import { PaymentError } from '../domain/errors';
import type { Tx } from '../db/repository';
import { DeliveryAlreadyFinished, finishDelivery } from '../db/webhook-inbox';
import { applyToDonation, type ApplyInput, type Delivery } from './apply';
import type { AppDeps } from './deps';

export interface WebhookAnswer {
  received: true;
  duplicate?: boolean;
  outcome: string;
}

export const DUPLICATE_DELIVERY: WebhookAnswer = {
  received: true,
  duplicate: true,
  outcome: 'duplicate',
};

/** Stored, not applied yet: the applier applies it (after `why`, when a try failed). */
export function queuedAnswer(why?: string): WebhookAnswer {
  return { received: true, outcome: why ? `queued: ${why}` : 'queued' };
}

/**
 * Applies a verified delivery. `mapped` says whether the event meant something for a donation
 * (otherwise `type` is named as ignored when no donation matches).
 */
export async function applyDelivery(
  deps: AppDeps,
  input: ApplyInput,
  event: { type: string; mapped: boolean },
): Promise<WebhookAnswer> {
  const result = await applyToDonation(deps, input);
  if (result.kind === 'duplicate') return DUPLICATE_DELIVERY;
  if (result.kind === 'unknown-donation')
    return {
      received: true,
      outcome: event.mapped ? 'no such donation' : `ignored ${event.type}`,
    };
  return { received: true, outcome: result.facts.map((f) => f.kind).join(',') || 'no change' };
}

/** Marks a stored delivery ignored (nothing of ours to change); a person reads the reason. */
export async function ignoreDelivery(
  deps: AppDeps,
  delivery: Delivery,
  why: string,
): Promise<WebhookAnswer> {
  try {
    await finishDelivery(deps.db, delivery, 'ignored', `ignored: ${why}`, null);
  } catch (err) {
    if (err instanceof DeliveryAlreadyFinished) return DUPLICATE_DELIVERY;
    throw err;
  }
  return { received: true, outcome: `ignored: ${why}` };
}

/**
 * Runs `work` (which marks the delivery finished) in one transaction; null when another applier
 * finished the delivery first (then nothing `work` did is kept).
 */
export async function finishedInTx<T>(
  deps: AppDeps,
  work: (tx: Tx) => Promise<T>,
): Promise<T | null> {
  try {
    return await deps.db.$transaction(work);
  } catch (err) {
    if (err instanceof DeliveryAlreadyFinished) return null;
    throw err;
  }
}

/**
 * The inbox insert failed (database down, pool exhausted): logged without the body, and the
 * provider told to send it again — nothing was done, so its retry is safe.
 */
export function notStored(
  logger: Logger,
  d: { provider: string; eventId: string; type: string },
  err: unknown,
): PaymentError {
  logger.error(
    { err, provider: d.provider, eventId: d.eventId, type: d.type },
    'webhook delivery could not be stored; answering 503',
  );
  return new PaymentError(
    'unavailable',
    'The delivery could not be stored right now; send it again later.',
    { code: 'store-unavailable', retryAfterSeconds: 5 },
  );
}

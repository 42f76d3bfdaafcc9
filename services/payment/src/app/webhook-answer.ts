// The one answer of both webhooks (Stripe and PayPal): what a delivery changed, or why it
// changed nothing. A delivery that overtook the event it depends on is refused (a conflict),
// so the provider redelivers it later.
import { PaymentError } from '../domain/errors';
import { applyToDonation, RetryLater, type ApplyInput } from './apply';
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

/**
 * Applies a verified delivery. `mapped` says whether the event meant something for a donation
 * (otherwise `type` is named as ignored when no donation matches).
 */
export async function applyDelivery(
  deps: AppDeps,
  input: ApplyInput,
  event: { type: string; mapped: boolean },
): Promise<WebhookAnswer> {
  try {
    const result = await applyToDonation(deps, input);
    if (result.kind === 'duplicate') return DUPLICATE_DELIVERY;
    if (result.kind === 'unknown-donation')
      return {
        received: true,
        outcome: event.mapped ? 'no such donation' : `ignored ${event.type}`,
      };
    return { received: true, outcome: result.facts.map((f) => f.kind).join(',') || 'no change' };
  } catch (err) {
    // A conflict: the provider retries later, once the event this one overtook has arrived.
    if (err instanceof RetryLater)
      throw new PaymentError('conflict', `Not applied yet: ${err.message}`);
    throw err;
  }
}

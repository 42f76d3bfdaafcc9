import { PaymentError } from '../domain/errors';
import type { Command } from '../domain/donation';
import type { DonationLookup } from '../db/repository';
import { moneyFromPayPal, type PayPalCapture, type PayPalWebhookEvent } from '../providers/paypal';
import { ProviderError } from '../providers/types';
import type { ApplyInput, Delivery } from './apply';
import type { AppDeps } from './deps';
import { applyDelivery, type WebhookAnswer } from './webhook-answer';
import {
  handlePayPalSubscriptionEvent,
  isPayPalSubscriptionEvent,
} from './paypal-subscription-webhook';

type Mapped = Pick<ApplyInput, 'lookup' | 'refs' | 'commands' | 'refundReason'>;

/**
 * POST /webhooks/paypal: PayPal's verify-webhook-signature API decides (a call to PayPal, so it
 * stays before storing); then the delivery is stored in the inbox and applied like Stripe's.
 */
export async function handlePayPalWebhook(
  deps: AppDeps,
  headers: Record<string, string | undefined>,
  body: unknown,
  rawBody: Buffer | undefined,
): Promise<WebhookAnswer> {
  const event = body as PayPalWebhookEvent;
  if (!rawBody || typeof event?.id !== 'string' || typeof event.event_type !== 'string') {
    throw new PaymentError(
      'invalid',
      'Not a PayPal webhook event (expected JSON with id and event_type).',
    );
  }
  if (!(await deps.paypal.verify(headers, rawBody))) {
    throw new PaymentError(
      'invalid',
      'PayPal did not confirm this webhook delivery (verify-webhook-signature said FAILURE).',
    );
  }
  return deps.inbox.receive({
    provider: 'paypal',
    eventId: event.id,
    type: event.event_type,
    rawBody: rawBody.toString('utf8'),
  });
}

/** Applies a stored (already verified) PayPal delivery through the one write path. */
export async function applyPayPalDelivery(
  deps: AppDeps,
  body: unknown,
  delivery: Delivery,
): Promise<WebhookAnswer> {
  const event = body as PayPalWebhookEvent;
  if (isPayPalSubscriptionEvent(event)) return handlePayPalSubscriptionEvent(deps, event, delivery);
  const input = await toInput(deps, event);
  return applyDelivery(
    deps,
    {
      provider: 'paypal',
      lookup: input?.lookup ?? { donationId: '' },
      refs: input?.refs,
      commands: input?.commands ?? [],
      refundReason: input?.refundReason,
      delivery,
    },
    { type: event.event_type, mapped: Boolean(input) },
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function captureLookup(resource: Record<string, unknown>, captureId?: string): DonationLookup {
  const custom = str(resource.custom_id);
  if (custom) return { donationId: custom };
  return captureId ? { captureId } : { donationId: '' };
}

/** The capture id a refund resource points "up" to. */
function upCaptureId(resource: Record<string, unknown>): string | undefined {
  const links = (resource.links ?? []) as { rel?: string; href?: string }[];
  const up = links.find((l) => l.rel === 'up' && l.href?.includes('/captures/'));
  return up?.href?.split('/captures/')[1]?.split(/[/?]/)[0];
}

function captureCommands(capture: PayPalCapture): Command[] {
  if (capture.status === 'COMPLETED') {
    const feeAmount = capture.seller_receivable_breakdown?.paypal_fee;
    return [{ kind: 'succeed', fee: feeAmount ? moneyFromPayPal(feeAmount) : null }];
  }
  if (capture.status === 'DECLINED' || capture.status === 'FAILED')
    return [{ kind: 'fail', reason: `PayPal capture ${capture.status.toLowerCase()}` }];
  return []; // PENDING: PAYMENT.CAPTURE.COMPLETED follows
}

/**
 * Captures an approved order, from the webhook (CHECKOUT.ORDER.APPROVED) or the donor's return
 * (paypal-return.ts), whichever comes first — often both at once. Exactly once: PayPal-Request-Id
 * `capture-<order>` makes PayPal answer every capture of the order with the one capture, and
 * the state machine under the donation's row lock turns only the first success into a fact.
 */
export async function captureOrder(
  deps: AppDeps,
  orderId: string,
  lookup: DonationLookup,
): Promise<Mapped> {
  try {
    const capture = await deps.paypal.capture(orderId);
    return {
      lookup,
      refs: { orderId, captureId: capture.id },
      commands: captureCommands(capture),
    };
  } catch (err) {
    // 422: already captured (PAYMENT.CAPTURE.COMPLETED carries the result) or not approved
    // (the donor has not paid yet); 409: the same capture is in flight at PayPal right now.
    if (err instanceof ProviderError && (err.status === 422 || err.status === 409))
      return { lookup, refs: { orderId }, commands: [] };
    throw err;
  }
}

async function toInput(deps: AppDeps, event: PayPalWebhookEvent): Promise<Mapped | null> {
  const r = event.resource ?? {};
  switch (event.event_type) {
    case 'CHECKOUT.ORDER.APPROVED': {
      const orderId = str(r.id);
      const unit = ((r.purchase_units ?? []) as Record<string, unknown>[])[0] ?? {};
      const lookup: DonationLookup = str(unit.custom_id)
        ? { donationId: str(unit.custom_id)! }
        : { orderId: orderId ?? '' };
      if (!orderId) return null;
      return captureOrder(deps, orderId, lookup);
    }
    case 'PAYMENT.CAPTURE.COMPLETED':
    case 'PAYMENT.CAPTURE.DENIED': {
      const capture = r as unknown as PayPalCapture;
      const cmds =
        event.event_type === 'PAYMENT.CAPTURE.DENIED'
          ? [{ kind: 'fail' as const, reason: 'PayPal denied the capture' }]
          : captureCommands(capture);
      return {
        lookup: captureLookup(r, capture.id),
        refs: { captureId: capture.id },
        commands: cmds,
      };
    }
    case 'PAYMENT.CAPTURE.REFUNDED':
    case 'PAYMENT.CAPTURE.REVERSED': {
      const refundId = str(r.id);
      const amount = r.amount as { currency_code: string; value: string } | undefined;
      if (!refundId || !amount) return null;
      const reversal = event.event_type === 'PAYMENT.CAPTURE.REVERSED';
      return {
        lookup: captureLookup(r, upCaptureId(r)),
        commands: [{ kind: 'refund', refundId, amount: moneyFromPayPal(amount) }],
        refundReason: reversal ? 'reversal' : 'provider',
      };
    }
    default:
      return null;
  }
}

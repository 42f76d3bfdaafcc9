import { isStorableText, safeToken } from '@bfi/http';
import type Stripe from 'stripe';
import { z } from 'zod';

// A signed Stripe event proves who sent it, not that it has the shape our code reads. These
// schemas check the fields each handled event type is read for, so an odd event is answered
// 400 (no event envelope) or acknowledged and ignored (a readable envelope with an object we
// cannot use), never a 500 — and no unchecked string reaches a database lookup.

const Ref = safeToken('Stripe id');
/** An expandable reference: the id, or the object with its id. */
const Expandable = z.union([Ref, z.looseObject({ id: Ref })]).nullish();
const Metadata = z
  .record(z.string(), z.string().refine(isStorableText))
  .nullish()
  .transform((m) => m ?? null);

export const StripeEnvelope = z.looseObject({
  id: Ref,
  type: safeToken('Stripe event type'),
  data: z.looseObject({ object: z.looseObject({}) }),
});

const Session = z.looseObject({
  id: Ref,
  payment_intent: Expandable,
  metadata: Metadata,
  client_reference_id: z.string().refine(isStorableText).nullish(),
  payment_status: z.string(),
});
const Intent = z.looseObject({
  id: Ref,
  metadata: Metadata,
  last_payment_error: z
    .looseObject({ message: z.string().optional(), code: z.string().optional() })
    .nullish(),
});
const Charge = z.looseObject({ id: Ref, payment_intent: Expandable, metadata: Metadata });
const Dispute = z.looseObject({
  id: Ref,
  payment_intent: Expandable,
  charge: z.union([Ref, z.looseObject({ id: Ref })]),
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string(),
  status: z.string(),
});

const OBJECT_OF: Record<string, z.ZodType> = {
  'checkout.session.completed': Session,
  'checkout.session.expired': Session,
  'payment_intent.succeeded': Intent,
  'payment_intent.payment_failed': Intent,
  'charge.refunded': Charge,
  'charge.dispute.created': Dispute,
  'charge.dispute.closed': Dispute,
};

export type ReadEvent =
  { ok: true; event: Stripe.Event } | { ok: false; envelope: boolean; reason: string };

/** Checks the envelope, then the object of a handled type; other types pass as they are. */
export function readStripeEvent(event: unknown): ReadEvent {
  const envelope = StripeEnvelope.safeParse(event);
  if (!envelope.success)
    return { ok: false, envelope: true, reason: z.prettifyError(envelope.error) };
  const schema = OBJECT_OF[envelope.data.type];
  const object = schema?.safeParse(envelope.data.data.object);
  if (object && !object.success)
    return { ok: false, envelope: false, reason: z.prettifyError(object.error) };
  return { ok: true, event: event as Stripe.Event };
}

/** The id of an expandable reference (`"pi_…"` or `{ id: "pi_…" }`). */
export function refId(value: string | { id: string } | null | undefined): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}

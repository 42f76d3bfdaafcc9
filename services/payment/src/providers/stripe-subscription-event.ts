import { isStorableText, safeToken } from '@bfi/http';
import { z } from 'zod';

// The parts of Stripe's subscription-mode objects (invoices, subscriptions, checkout sessions)
// that monthly gifts read, checked before anything is stored.
export const Ref = safeToken('Stripe id');
export const Expandable = z.union([Ref, z.looseObject({ id: Ref })]).nullish();
export const Metadata = z.record(z.string(), z.string().refine(isStorableText)).nullish();
export const idOf = (v: z.infer<typeof Expandable>) =>
  typeof v === 'string' ? v : (v?.id ?? null);

export const Invoice = z.looseObject({
  id: Ref,
  billing_reason: z.string().nullish(),
  amount_paid: z.number().int().nonnegative(),
  amount_due: z.number().int().nonnegative(),
  currency: z.string(),
  parent: z
    .looseObject({
      subscription_details: z
        .looseObject({ subscription: Expandable, metadata: Metadata })
        .nullish(),
    })
    .nullish(),
  lines: z
    .looseObject({
      data: z.array(z.looseObject({ period: z.looseObject({ end: z.number() }).nullish() })),
    })
    .nullish(),
});
export const Subscription = z.looseObject({
  id: Ref,
  status: z.string(),
  customer: Expandable,
  metadata: Metadata,
  items: z.looseObject({
    data: z.array(
      z.looseObject({
        current_period_end: z.number().nullish(),
        price: z.looseObject({
          unit_amount: z.number().int().positive().nullish(),
          currency: z.string(),
        }),
      }),
    ),
  }),
});
export const Session = z.looseObject({
  id: Ref,
  mode: z.literal('subscription'),
  subscription: Expandable,
  customer: Expandable,
  metadata: Metadata,
});

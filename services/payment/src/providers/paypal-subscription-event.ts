import { isStorableText, safeToken } from '@bfi/http';
import { z } from 'zod';

// The parts of PayPal's sale and billing-subscription resources that monthly gifts read,
// checked before anything is stored.
export const Ref = safeToken('PayPal id');
export const Custom = z.string().refine(isStorableText).nullish();
export const Amount = z.looseObject({ currency_code: z.string(), value: z.string() });

export const Sale = z.looseObject({
  id: Ref,
  state: z.string(),
  amount: z.looseObject({ total: z.string(), currency: z.string() }),
  transaction_fee: z.looseObject({ value: z.string(), currency: z.string() }).nullish(),
  billing_agreement_id: Ref.nullish(),
  custom: Custom,
});
export const Subscription = z.looseObject({
  id: Ref,
  status: z.string(),
  custom_id: Custom,
  billing_info: z
    .looseObject({
      next_billing_time: z.string().nullish(),
      last_failed_payment: z.looseObject({ amount: Amount }).nullish(),
    })
    .nullish(),
});

import { FundSlugSchema, ProviderSchema } from '@bfi/events';
import { boundedInt, dbText, isStorableText, safeToken, slugId, uuidId } from '@bfi/http';
import { CurrencySchema } from '@bfi/money';
import { z } from 'zod';
import { DONOR_LOCALES } from '../providers/types';
import { RECEIPT_MAIL_STATUSES, type ReceiptMailStatus } from '../domain/receipt-mail';
import { WEBHOOK_DELIVERY_STATES } from '../domain/webhook-delivery';

/** Minor units as a person should read the rules: whole, positive, not above the maximum. */
export function minorAmount(max: number) {
  return z
    .number({ error: 'must be a number of minor units (e.g. 1250 for 12.50)' })
    .int({ error: 'must be a whole number of minor units (e.g. 1250 for 12.50), not a fraction' })
    .positive({ error: 'must be greater than zero' })
    .max(max, { error: `must not exceed ${max} minor units (the configured maximum donation)` });
}

export function createDonationSchema(maxMinor: number, defaultFund: string) {
  return z.strictObject({
    amount: minorAmount(maxMinor),
    currency: CurrencySchema,
    fund: FundSlugSchema.default(defaultFund),
    provider: ProviderSchema,
    donorName: dbText(200).optional(),
    donorEmail: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
    /** A donation-point token from a poster or counter QR (office gift). */
    pointToken: safeToken('donation point token (from the QR code)', 2000)
      .min(10, { error: 'must be a donation point token (from the QR code)' })
      .optional(),
    /** The donor page's language: the provider's checkout page speaks it where it can, and the
     * receipt e-mail is written in it (default Belarusian). */
    locale: z
      .enum(DONOR_LOCALES, { error: `must be one of ${DONOR_LOCALES.join(', ')}` })
      .optional(),
    /** Add the estimated card fee to the charge, so all of `amount` reaches the fund. */
    coverFee: z.boolean({ error: 'must be true or false' }).default(false),
    /** 'monthly': the same gift every month until cancelled (Stripe subscription, PayPal plan). */
    frequency: z
      .enum(['once', 'monthly'], { error: 'must be "once" or "monthly"' })
      .default('once'),
  });
}

export const IdempotencyKeySchema = z
  .string({
    error:
      'the Idempotency-Key header is required (a unique string per donation attempt, e.g. a UUID)',
  })
  .min(8, { error: 'must be at least 8 characters (use a UUID)' })
  .max(200)
  .refine(isStorableText, { error: 'must be plain text (use a UUID)' });

export function refundSchema(maxMinor: number) {
  return z.strictObject({ amount: minorAmount(maxMinor).optional() });
}

export const OfficeIdParam = slugId('office id');

export const OfficeSchema = z.strictObject({
  id: OfficeIdParam,
  name: dbText(200),
});

export const PointSchema = z.strictObject({
  label: dbText(200),
  kind: z.enum(['poster', 'counter']).default('poster'),
});

export function intentSchema(maxMinor: number) {
  return z.strictObject({ amount: minorAmount(maxMinor), currency: CurrencySchema });
}

export const UuidParam = uuidId('donation id');
export const PointIdParam = uuidId('donation point id');

export const ReceiptMailQuery = z.strictObject({
  status: z
    .enum(RECEIPT_MAIL_STATUSES as [ReceiptMailStatus, ...ReceiptMailStatus[]], {
      error: 'must be pending, retrying, sent or failed',
    })
    .optional(),
  limit: boundedInt(1, 500, 'number of mails').default(100),
});
export const WebhookDeliveryQuery = z.strictObject({
  state: z
    .enum(WEBHOOK_DELIVERY_STATES, { error: 'must be received, applied, ignored or gave-up' })
    .default('gave-up'),
  limit: boundedInt(1, 500, 'number of deliveries').default(100),
});
export const IntentIdParam = uuidId('counter QR id');

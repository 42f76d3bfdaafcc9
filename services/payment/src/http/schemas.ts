import { FundSlugSchema, ProviderSchema } from '@bfi/events';
import { CurrencySchema } from '@bfi/money';
import { z } from 'zod';

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
    donorName: z.string().trim().min(1).max(200).optional(),
    donorEmail: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
    /** A donation-point token from a poster or counter QR (office gift). */
    pointToken: z.string().min(10).max(2000).optional(),
  });
}

export const IdempotencyKeySchema = z
  .string({
    error:
      'the Idempotency-Key header is required (a unique string per donation attempt, e.g. a UUID)',
  })
  .min(8, { error: 'must be at least 8 characters (use a UUID)' })
  .max(200);

export function refundSchema(maxMinor: number) {
  return z.strictObject({ amount: minorAmount(maxMinor).optional() });
}

export const OfficeSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
      error: 'must be a slug: lowercase letters and digits joined by dashes',
    })
    .max(64),
  name: z.string().trim().min(1).max(200),
});

export const PointSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  kind: z.enum(['poster', 'counter']).default('poster'),
});

export function intentSchema(maxMinor: number) {
  return z.strictObject({ amount: minorAmount(maxMinor), currency: CurrencySchema });
}

export const UuidParam = z.uuid({ error: 'must be a UUID' });

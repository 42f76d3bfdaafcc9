// Request schemas: the one place input shapes are defined (validation and OpenAPI both use them).
import { DateTimeSchema } from '@bfi/http';
import { CurrencySchema } from '@bfi/money';
import { z } from 'zod';

export const OfficeParams = z.object({
  officeId: z
    .string()
    .min(1, { error: 'must be an office id' })
    .max(128, { error: 'must be an office id (at most 128 characters)' }),
});

export const DonationParams = z.object({
  donationId: z.uuid({ error: 'must be the donation id (a UUID)' }),
});
export const RuleParams = z.object({ ruleId: z.uuid({ error: 'must be a rule id (a UUID)' }) });
export const CodeParams = z.object({ code: z.string().min(1).max(32) });

export const RedeemBody = z.strictObject({
  code: z
    .string()
    .min(1, { error: 'enter the claim code from the donor’s phone' })
    .max(32)
    .describe('Claim code, e.g. "7KX4-M2QH"'),
});

const Quantity = z.int({ error: 'must be a whole number of packs' });

export const DeliveryBody = z.strictObject({
  quantity: Quantity.min(1, { error: 'a delivery has at least 1 pack' }).max(100000),
  note: z.string().max(500).optional().describe('Delivery note, e.g. the waybill number'),
});

export const CountBody = z.strictObject({
  counted: Quantity.min(0, { error: 'cannot count fewer than 0 packs' })
    .max(1000000)
    .describe('Packs physically present, reserved ones included'),
  note: z.string().max(500).optional(),
});

export const AdjustmentBody = z.strictObject({
  delta: Quantity.refine((n) => n !== 0, { error: 'must not be 0' })
    .refine((n) => Math.abs(n) <= 100000, { error: 'must be between -100000 and 100000' })
    .describe('Packs added (positive) or removed (negative)'),
  reason: z
    .string()
    .trim()
    .min(3, { error: 'say why (at least 3 characters), e.g. "2 packs damaged by water"' })
    .max(500),
});

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const MovementsQuery = ListQuery.extend({
  before: z.coerce
    .bigint({ error: 'must be a movement id' })
    .optional()
    .describe('Page: movements with a smaller id'),
});

const Minor = z
  .int({ error: 'must be an integer amount in minor units (e.g. 1000 for 10.00)' })
  .min(1, { error: 'must be greater than 0' })
  .max(Number.MAX_SAFE_INTEGER);

export const RuleBody = z.strictObject({
  campaign: z.string().trim().min(1).max(200).describe('e.g. "#BullyingFreeInternet"'),
  channel: z.enum(['online', 'office']),
  fund: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be a fund slug, e.g. specialist-training' })
    .nullable()
    .default(null),
  kind: z.enum(['physical-sticker-pack', 'digital-sticker-pack']),
  outOfStock: z.enum(['wait-for-stock', 'digital-fallback']).default('wait-for-stock'),
  priority: z.int().min(-1000).max(1000).default(0),
  installmentsUpTo: z
    .int({ error: 'must be a whole number of installments, or null for every installment' })
    .min(1)
    .max(1200)
    .nullable()
    .default(1)
    .describe(
      'Monthly gifts: installments 1..N earn a pack (default 1: only the first); null: every one',
    ),
  activeFrom: DateTimeSchema,
  activeUntil: DateTimeSchema.nullable().default(null),
  minimums: z
    .partialRecord(CurrencySchema, Minor)
    .describe(
      'Minimum gross per currency in minor units, e.g. {"BYN": 1000}; other currencies do not qualify',
    ),
});
export type RuleBodyInput = z.infer<typeof RuleBody>;

import { FundSlugSchema, ProviderSchema } from '@bfi/events';
import { DateTimeSchema, openPeriodSchema } from '@bfi/http';
import { MoneySchema } from '@bfi/money';
import { z } from 'zod';

// Request schemas: used to validate (parseInput) and to document (/openapi.json).

export const FundSlugParam = z.object({ fund: FundSlugSchema });

export const CreateFundBody = z.strictObject({
  slug: FundSlugSchema,
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
  restricted: z.boolean({ error: 'must be true (restricted purpose) or false' }),
  feePolicy: z.enum(['fund', 'general'], {
    error:
      'must be "fund" (the fund bears its processor fees) or "general" (the general fund does)',
  }),
  description: z.string().max(2000).nullable().default(null),
});

export const TotalsQuery = openPeriodSchema({
  groupBy: z
    .enum(['currency', 'channel', 'office', 'day'], {
      error: 'must be one of currency, channel, office, day',
    })
    .default('currency'),
});

export const JournalQuery = openPeriodSchema({
  fund: FundSlugSchema.optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be the nextCursor of a previous page' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const PayoutBody = z.strictObject({
  provider: ProviderSchema,
  payoutId: z.string().trim().min(1).max(200),
  amount: MoneySchema.refine((m) => m.minor > 0, { error: 'amount must be greater than zero' }),
  occurredAt: DateTimeSchema,
});

/** Opaque keyset cursor: the last seq of the page, base64url. */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ after: seq })).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  try {
    const parsed = z
      .object({ after: z.number().int().min(0) })
      .safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.after : null;
  } catch {
    return null;
  }
}

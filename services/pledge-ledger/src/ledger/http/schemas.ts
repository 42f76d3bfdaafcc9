import { FundSlugSchema, ProviderSchema } from '@bfi/events';
import { boundedInt, dbText, DateTimeSchema, numericCursor, openPeriodSchema } from '@bfi/http';
import { MoneySchema } from '@bfi/money';
import { z } from 'zod';

// Request schemas: used to validate (parseInput) and to document (/openapi.json).

export const FundSlugParam = z.object({ fund: FundSlugSchema });

export const CreateFundBody = z.strictObject({
  slug: FundSlugSchema,
  name: dbText(200),
  restricted: z.boolean({ error: 'must be true (restricted purpose) or false' }),
  feePolicy: z.enum(['fund', 'general'], {
    error:
      'must be "fund" (the fund bears its processor fees) or "general" (the general fund does)',
  }),
  description: dbText(2000, { min: 0 }).nullable().default(null),
});

export const FundStatusBody = z.strictObject({
  status: z.enum(['open', 'closed'], {
    error: 'must be "open" (takes new gifts) or "closed" (refuses new gifts)',
  }),
});

/** One letter by the id GET /dead-letters gives, or every letter not replayed yet. */
export const ReplayBody = z.union(
  [
    z.strictObject({
      id: z.string().regex(/^[A-Za-z0-9._-]+\.dlq\/\d{1,5}\/\d{1,19}$/, {
        error:
          'must be the id of a dead letter as GET /dead-letters lists it (<topic>.dlq/<partition>/<offset>)',
      }),
    }),
    z.strictObject({ all: z.literal(true) }),
  ],
  { error: 'must be {"id": "<dead letter id>"} or {"all": true}' },
);

export const TotalsQuery = openPeriodSchema({
  groupBy: z
    .enum(['currency', 'channel', 'office', 'day'], {
      error: 'must be one of currency, channel, office, day',
    })
    .default('currency'),
});

export const JournalQuery = openPeriodSchema({
  fund: FundSlugSchema.optional(),
  /** One donation's entries (its gift, fee, refunds, disputes): its whole story in the ledger. */
  donation: z.uuid({ error: 'must be a donation id (a UUID)' }).optional(),
  /** The provider's reference of a movement (pi_…, re_…, a PayPal capture id). */
  providerRef: dbText(200).optional(),
  /** The one cursor style of the service: the last key of the previous page, as digits. */
  cursor: numericCursor(Number.MAX_SAFE_INTEGER).transform(Number).optional(),
  limit: boundedInt(1, 500, 'number of entries').default(100),
});

export const PayoutBody = z.strictObject({
  provider: ProviderSchema,
  payoutId: dbText(200),
  amount: MoneySchema.refine((m) => m.minor > 0, { error: 'amount must be greater than zero' }),
  occurredAt: DateTimeSchema,
});

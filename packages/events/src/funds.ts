import { z } from 'zod';
import { FundSlugSchema, NonEmptyStringSchema, TimestampSchema } from './common';

/** open: takes new gifts; closed: payment refuses new gifts, the ledger still books charged ones. */
export const FundStatusSchema = z.enum(['open', 'closed']);
export type FundStatus = z.infer<typeof FundStatusSchema>;

/**
 * The whole state of one ledger fund after a change (created, closed, reopened), published by
 * services/pledge-ledger. `version` grows by one per change, so a reader keeps the highest it saw
 * and an old or repeated event changes nothing.
 */
export const LedgerFundChangedV1 = z.strictObject({
  slug: FundSlugSchema,
  name: NonEmptyStringSchema.max(200),
  status: FundStatusSchema,
  restricted: z.boolean(),
  version: z.number().int({ error: 'must be a whole number' }).positive(),
  changedAt: TimestampSchema,
});

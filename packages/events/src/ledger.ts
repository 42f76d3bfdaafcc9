import { z } from 'zod';
import {
  ChannelSchema,
  DonationIdSchema,
  DonorSecretHashSchema,
  FundSlugSchema,
  IdSchema,
  OfficeIdSchema,
  PositiveMoneySchema,
  RecurrenceSchema,
  requireOfficeForOfficeChannel,
} from './common';

// Ledger events, published by services/pledge-ledger after a journal entry is committed.
const ledgerBase = {
  donationId: DonationIdSchema,
  journalEntryId: IdSchema,
  fund: FundSlugSchema,
  channel: ChannelSchema,
  officeId: OfficeIdSchema,
};

export const LedgerDonationPostedV1 = z
  .strictObject({
    ...ledgerBase,
    gross: PositiveMoneySchema,
    /** Passed on from payment.succeeded.v1: reward shows the claim code to its holder only. */
    donorSecretHash: DonorSecretHashSchema.optional(),
    /** Passed on from payment.succeeded.v1: which installment of a monthly gift (null: one-off). */
    recurrence: RecurrenceSchema.nullable().optional(),
  })
  .superRefine(requireOfficeForOfficeChannel);

export const LedgerDonationReversedV1 = z
  .strictObject({
    ...ledgerBase,
    amount: PositiveMoneySchema,
    reason: z.enum(['refund', 'dispute-lost']),
    /** True once the reversals of this donation add up to its gross. */
    fullyReversed: z.boolean(),
  })
  .superRefine(requireOfficeForOfficeChannel);

export const LedgerFeePostedV1 = z
  .strictObject({
    ...ledgerBase,
    fee: PositiveMoneySchema,
    /** The fund the fee was charged to by the donation fund's fee policy (may be "general"). */
    chargedTo: FundSlugSchema,
  })
  .superRefine(requireOfficeForOfficeChannel);

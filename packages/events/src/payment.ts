import { MoneySchema } from '@bfi/money';
import { z } from 'zod';
import {
  ChannelSchema,
  DonationIdSchema,
  DonorSecretHashSchema,
  FundSlugSchema,
  NonEmptyStringSchema,
  OfficeIdSchema,
  PositiveMoneySchema,
  ProviderRefsSchema,
  RecurrenceSchema,
  ProviderSchema,
  TimestampSchema,
  requireOfficeForOfficeChannel,
  requireSameCurrency,
} from './common';

// Payment events, published by services/payment. Every one carries the full donation
// context so a consumer never has to ask the payment service for it.
const paymentBase = {
  donationId: DonationIdSchema,
  provider: ProviderSchema,
  providerRefs: ProviderRefsSchema,
  channel: ChannelSchema,
  officeId: OfficeIdSchema,
  donationPointId: NonEmptyStringSchema.max(128).nullable(),
  fund: FundSlugSchema,
  gross: PositiveMoneySchema,
  /** Processing fee when the provider reports it; may be in the settlement currency. */
  fee: MoneySchema.nullable(),
  /**
   * The part of `gross` the donor added to cover the provider fee ("add the card fee so all of
   * my gift reaches the fund"); same currency as gross. Null or absent: none.
   */
  coveredFee: MoneySchema.nullable().optional(),
  occurredAt: TimestampSchema,
  /** The monthly gift's installment this donation is; absent or null: a one-off gift. */
  recurrence: RecurrenceSchema.nullable().optional(),
};

/** A covered fee is part of gross: same currency, less than gross (the gift itself is > 0). */
function requireCoveredFeeWithinGross(
  v: {
    gross: { minor: number; currency: string };
    coveredFee?: { minor: number; currency: string } | null;
  },
  ctx: z.RefinementCtx,
): void {
  if (!v.coveredFee) return;
  requireSameCurrency(ctx, 'coveredFee', v.coveredFee, v.gross, 'gross');
  if (v.coveredFee.minor >= v.gross.minor)
    ctx.addIssue({ code: 'custom', message: 'must be less than gross', path: ['coveredFee'] });
}

export const PaymentSucceededV1 = z
  .strictObject({ ...paymentBase, donorSecretHash: DonorSecretHashSchema.optional() })
  .superRefine((v, ctx) => {
    requireOfficeForOfficeChannel(v, ctx);
    requireCoveredFeeWithinGross(v, ctx);
  });

export const PaymentFailedV1 = z
  .strictObject({ ...paymentBase, reason: NonEmptyStringSchema.max(1000) })
  .superRefine(requireOfficeForOfficeChannel);

export const PaymentRefundedV1 = z
  .strictObject({
    ...paymentBase,
    refundId: NonEmptyStringSchema,
    /** This refund. */
    amount: PositiveMoneySchema,
    /** All refunds of the donation so far, this one included. */
    totalRefunded: PositiveMoneySchema,
    fullyRefunded: z.boolean(),
  })
  .superRefine((v, ctx) => {
    requireOfficeForOfficeChannel(v, ctx);
    requireSameCurrency(ctx, 'amount', v.amount, v.gross, 'gross');
    requireSameCurrency(ctx, 'totalRefunded', v.totalRefunded, v.gross, 'gross');
    if (v.amount.minor > v.totalRefunded.minor) {
      ctx.addIssue({ code: 'custom', message: 'must be at least amount', path: ['totalRefunded'] });
    }
    if (v.totalRefunded.minor > v.gross.minor) {
      ctx.addIssue({ code: 'custom', message: 'must not exceed gross', path: ['totalRefunded'] });
    }
    if (v.fullyRefunded !== (v.totalRefunded.minor === v.gross.minor)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be true exactly when totalRefunded equals gross',
        path: ['fullyRefunded'],
      });
    }
  });

export const PaymentDisputedV1 = z
  .strictObject({ ...paymentBase, disputeId: NonEmptyStringSchema, amount: PositiveMoneySchema })
  .superRefine((v, ctx) => {
    requireOfficeForOfficeChannel(v, ctx);
    requireSameCurrency(ctx, 'amount', v.amount, v.gross, 'gross');
  });

export const PaymentDisputeClosedV1 = z
  .strictObject({
    ...paymentBase,
    disputeId: NonEmptyStringSchema,
    amount: PositiveMoneySchema,
    outcome: z.enum(['won', 'lost']),
  })
  .superRefine((v, ctx) => {
    requireOfficeForOfficeChannel(v, ctx);
    requireSameCurrency(ctx, 'amount', v.amount, v.gross, 'gross');
  });

import { z } from 'zod';
import {
  ChannelSchema,
  FundSlugSchema,
  OfficeIdSchema,
  PositiveMoneySchema,
  ProviderSchema,
  TimestampSchema,
  requireSameCurrency,
} from './common';

// A monthly gift's lifecycle, published by services/payment on payment.events with the
// subscription id as subject (and Kafka key), so one subscription's events stay in order. The
// installments themselves are payment.succeeded/failed/… events carrying `recurrence`.

export const SubscriptionIdSchema = z.uuid({ error: 'must be a UUID (the subscription id)' });

export const PaymentSubscriptionStartedV1 = z.strictObject({
  subscriptionId: SubscriptionIdSchema,
  provider: ProviderSchema,
  fund: FundSlugSchema,
  /** What each installment charges. */
  amount: PositiveMoneySchema,
  interval: z.literal('month'),
  channel: ChannelSchema,
  officeId: OfficeIdSchema,
  startedAt: TimestampSchema,
});

export const PaymentSubscriptionAmountChangedV1 = z
  .strictObject({
    subscriptionId: SubscriptionIdSchema,
    provider: ProviderSchema,
    fund: FundSlugSchema,
    /** What the next installments charge. */
    amount: PositiveMoneySchema,
    previousAmount: PositiveMoneySchema,
    occurredAt: TimestampSchema,
  })
  .superRefine((v, ctx) =>
    requireSameCurrency(ctx, 'amount', v.amount, v.previousAmount, 'previousAmount'),
  );

export const PaymentSubscriptionCancelledV1 = z.strictObject({
  subscriptionId: SubscriptionIdSchema,
  provider: ProviderSchema,
  fund: FundSlugSchema,
  /** What each installment charged until now. */
  amount: PositiveMoneySchema,
  /** donor: from the manage link; provider: ended at the provider; payment-failed: retries gave up. */
  reason: z.enum(['donor', 'provider', 'payment-failed']),
  occurredAt: TimestampSchema,
});

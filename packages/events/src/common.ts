import { MoneySchema } from '@bfi/money';
import { z } from 'zod';

// Field schemas shared by the event payloads. Each carries a message a person can act on,
// because these messages end up in dead-letter topics and logs.

export const DonationIdSchema = z.uuid({ error: 'must be a UUID (the donation id)' });
export const IdSchema = z.uuid({ error: 'must be a UUID' });

/** Fund slug as in the ledger: lowercase words joined by dashes, e.g. "specialist-training". */
export const FundSlugSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: 'must be a fund slug: lowercase letters and digits joined by dashes',
  });

export const ProviderSchema = z.enum(['stripe', 'paypal']);
export type Provider = z.infer<typeof ProviderSchema>;

export const ChannelSchema = z.enum(['online', 'office']);
export type Channel = z.infer<typeof ChannelSchema>;

const NonEmpty = z.string().min(1, { error: 'must not be empty' });

/** Id of an MTS office; null when the donation was not made through an office. */
export const OfficeIdSchema = NonEmpty.max(128).nullable();

export const TimestampSchema = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
});

/** References at the payment provider; which ones are present depends on provider and event. */
export const ProviderRefsSchema = z.strictObject({
  checkoutSessionId: NonEmpty.optional(),
  paymentIntentId: NonEmpty.optional(),
  chargeId: NonEmpty.optional(),
  orderId: NonEmpty.optional(),
  captureId: NonEmpty.optional(),
  /** A monthly gift's installment: the Stripe invoice, or the PayPal sale, that charged it. */
  invoiceId: NonEmpty.optional(),
  saleId: NonEmpty.optional(),
  refundId: NonEmpty.optional(),
  disputeId: NonEmpty.optional(),
});
export type ProviderRefs = z.infer<typeof ProviderRefsSchema>;

export const NonEmptyStringSchema = NonEmpty;

/**
 * The installment of a monthly gift a payment event is about: every installment is its own
 * donation, linked to its subscription by this. Absent or null: a one-off gift.
 */
export const RecurrenceSchema = z.strictObject({
  subscriptionId: z.uuid({ error: 'must be a UUID (the subscription id)' }),
  installment: z.int().min(1, { error: 'installments count from 1' }),
  interval: z.literal('month'),
});
export type Recurrence = z.infer<typeof RecurrenceSchema>;

/**
 * Hex SHA-256 of the donor secret payment gave the donor's device once (POST /donations). Only
 * the hash travels: reward shows the full claim code to whoever proves the secret. Optional,
 * so events published before it existed stay valid.
 */
export const DonorSecretHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { error: 'must be the hex SHA-256 of the donor secret' });

/** A Money (integer minor units, known currency) that is strictly greater than zero. */
export const PositiveMoneySchema = MoneySchema.refine((m) => m.minor > 0, {
  error: 'amount must be greater than zero',
});

type Ctx = z.RefinementCtx;

/** An office-channel event must name the office; reused by payment and ledger schemas. */
export function requireOfficeForOfficeChannel(
  value: { channel: Channel; officeId: string | null },
  ctx: Ctx,
): void {
  if (value.channel === 'office' && value.officeId === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'must name the office when channel is "office"',
      path: ['officeId'],
    });
  }
}

/** Adds an issue when two amounts that must share a currency do not. */
export function requireSameCurrency(
  ctx: Ctx,
  path: string,
  amount: { currency: string },
  reference: { currency: string },
  referenceName: string,
): void {
  if (amount.currency !== reference.currency) {
    ctx.addIssue({
      code: 'custom',
      message: `currency ${amount.currency} differs from ${referenceName} currency ${reference.currency}`,
      path: [path],
    });
  }
}

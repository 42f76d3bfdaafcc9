// Response schemas: what each answer looks like, documented in GET /openapi.json and checked
// against every answer outside production (mountRouteTable's checkResponses).
import { z } from 'zod';
import { DONATION_STATUSES } from '../domain/donation';
import { RECEIPT_MAIL_STATUSES } from '../domain/receipt-mail';
import { WEBHOOK_DELIVERY_STATES } from '../domain/webhook-delivery';

const Timestamp = z.string().describe('ISO 8601 timestamp (UTC)');

export const MoneyView = z.object({
  minor: z.number().int().describe('Integer minor units (1250 is 12.50)'),
  currency: z.string().describe('ISO 4217 code'),
});

export const DonationViewSchema = z.object({
  id: z.string(),
  status: z.enum(DONATION_STATUSES),
  amount: MoneyView,
  fund: z.string(),
  provider: z.string(),
  channel: z.string().describe('online, or office (given through a donation point)'),
  officeId: z.string().nullable(),
  officeName: z.string().nullable(),
  donationPointId: z.string().nullable(),
  fee: MoneyView.nullable(),
  refunded: MoneyView,
  coveredFee: MoneyView.nullable().describe(
    'The part of amount the donor added to cover the provider fee (null: none)',
  ),
  disputeStatus: z.string().nullable(),
  failureReason: z.string().nullable(),
  redirectUrl: z
    .string()
    .nullable()
    .describe('The provider checkout page, while the donation is pending'),
  providerRefs: z.record(z.string(), z.string()),
  receipt: z
    .object({ number: z.string(), issuedAt: Timestamp, donorName: z.string().nullable() })
    .nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  helpResources: z.object({ helpline: z.string(), counselling: z.string() }),
});

export const CreatedDonationSchema = DonationViewSchema.extend({
  donorSecret: z
    .string()
    .describe('For the donor device only: send it as X-Donor-Secret to confirm or claim'),
});

export const OfficeViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  disabled: z.boolean(),
  createdAt: Timestamp,
});

export const PointViewSchema = z.object({
  id: z.string(),
  officeId: z.string(),
  label: z.string(),
  kind: z.enum(['poster', 'counter']),
  disabled: z.boolean(),
  createdAt: Timestamp,
});

export const PosterPointSchema = PointViewSchema.extend({
  posterUrl: z.string().describe('The signed donate-page URL the poster QR encodes'),
});

export const IntentViewSchema = z.object({
  id: z.string(),
  token: z.string(),
  url: z.string(),
  qrSvg: z.string(),
  amount: MoneyView,
  pointId: z.string(),
  officeId: z.string(),
  expiresAt: Timestamp,
});

export const IntentStatusSchema = z.object({
  id: z.string(),
  pointId: z.string(),
  officeId: z.string(),
  amount: MoneyView,
  expiresAt: Timestamp,
  state: z.enum(['waiting', 'used', 'expired']),
  url: z.string(),
  qrSvg: z.string(),
  donation: DonationViewSchema.nullable(),
});

export const PointTokenSchema = z.object({
  kind: z.enum(['poster', 'counter']),
  office: z.object({ id: z.string(), name: z.string() }),
  pointLabel: z.string(),
  amount: MoneyView.nullable().describe("A counter QR's fixed amount; null for a poster"),
  expiresAt: Timestamp.nullable(),
});

export const ReceiptMailListSchema = z.object({
  smtpConfigured: z.boolean(),
  mails: z.array(
    z.object({
      donationId: z.string(),
      receiptNumber: z.string().nullable(),
      to: z.string().nullable().describe('The donor address, masked'),
      locale: z.string().nullable(),
      status: z.enum(RECEIPT_MAIL_STATUSES),
      attempts: z.number().int(),
      nextAttemptAt: Timestamp.nullable(),
      lastError: z.string().nullable(),
      lastCode: z.number().int().nullable(),
      sentAt: Timestamp.nullable(),
      createdAt: Timestamp,
    }),
  ),
});

export const ReceiptMailRetrySchema = z.object({
  donationId: z.string(),
  status: z.literal('retrying'),
});

export const WebhookDeliveryListSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      provider: z.string(),
      eventId: z.string().describe("The provider's event id"),
      type: z.string(),
      state: z.enum(WEBHOOK_DELIVERY_STATES),
      outcome: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable().describe('Why the last try did not apply it'),
      donationId: z.string().nullable(),
      receivedAt: Timestamp,
      nextAttemptAt: Timestamp.nullable(),
      appliedAt: Timestamp.nullable(),
    }),
  ),
});

export const WebhookAnswerSchema = z.object({
  received: z.literal(true),
  duplicate: z.boolean().optional(),
  outcome: z.string().describe('What the delivery changed, or why it changed nothing'),
});

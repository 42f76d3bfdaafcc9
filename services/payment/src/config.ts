import {
  parseApiKeys,
  personTokensFromEnv,
  SHED_ENV,
  sseLimitsFromEnv,
  type ApiKeyRecord,
  type PersonTokenOptions,
  type SseLimits,
} from '@bfi/http';
import { databasePoolFromEnv, loadConfig, serviceEnv, type DatabasePool } from '@bfi/platform';
import { z } from 'zod';
import { manageKeyFrom, type ManageTokenConfig } from './app/manage-token';
import { MAIL_ENV, mailConfigFromEnv, type MailConfig } from './mail-config';
import type { FeeSchedule } from './domain/fee-estimate';
import { FEE_ENV } from './fee-config';

const EnvSchema = z.object({
  ...serviceEnv({ port: 3001 }),
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3001'),
  /**
   * Where the donor lands after paying (the thank-you page): {DONATION_ID} is replaced, and
   * {DONOR_SECRET} by the donor secret (only in the success URL; empty in the cancel URL).
   */
  // The donor web's thank-you page (services/web), which shows the claim code with the secret.
  THANK_YOU_URL: z.string().default('http://127.0.0.1:3004/thanks/{DONATION_ID}?s={DONOR_SECRET}'),
  /** The donate page a poster or counter QR opens (the web service's /donate). */
  DONATE_PAGE_URL: z.url().default('http://127.0.0.1:3004/donate'),
  /** Receipt numbers read <prefix>-<year>-<seq>, gap-free per prefix (campaign) and year. */
  RECEIPT_PREFIX: z
    .string()
    .regex(/^[A-Z0-9]{2,12}$/, { error: 'must be 2–12 capital letters or digits, e.g. BFI' })
    .default('BFI'),
  MAX_DONATION_MINOR: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .default(100_000_000),
  DEFAULT_FUND: z.string().default('specialist-training'),
  QR_SECRET: z.string().min(16, 'QR_SECRET must be at least 16 characters'),
  QR_INTENT_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  STRIPE_SECRET_KEY: z.string().min(1).default('sk_test_fake'),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).default('whsec_fake'),
  /** How far a Stripe-Signature timestamp may be from our clock, either way (Stripe: 300 s). */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Overrides for a local Stripe (tests, embedded demo); unset in production. */
  STRIPE_API_HOST: z.string().optional(),
  STRIPE_API_PORT: z.coerce.number().int().optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  PAYPAL_CLIENT_ID: z.string().min(1).default('fake-client-id'),
  PAYPAL_CLIENT_SECRET: z.string().min(1).default('fake-client-secret'),
  /** https://api-m.paypal.com (live), https://api-m.sandbox.paypal.com, or a local fake. */
  PAYPAL_BASE_URL: z.url().default('https://api-m.sandbox.paypal.com'),
  PAYPAL_WEB_URL: z.url().default('https://www.sandbox.paypal.com'),
  PAYPAL_WEBHOOK_ID: z.string().min(1).default('WH-FAKE-0001'),
  /** The name PayPal's checkout shows the donor (experience_context.brand_name, ≤ 127). */
  PAYPAL_BRAND_NAME: z.string().min(1).max(127).default('#BullyingFreeInternet'),
  PUBLIC_RATE_LIMIT: z.coerce.number().int().positive().default(300),
  /**
   * POST /donations per address per minute. Many donors share one address (an MTS office, a
   * carrier NAT), so the ceiling is high; one client hammering is stopped by the per-gift limit.
   */
  DONATION_RATE_LIMIT: z.coerce.number().int().positive().default(1200),
  /** POST /donations per address and Idempotency-Key per minute (one gift's retries). */
  DONATION_KEY_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  /**
   * Webhooks come from a few provider addresses in bursts (a payout day, a redelivery after an
   * outage), so they get their own, larger per-IP budget instead of sharing donors' one.
   */
  WEBHOOK_RATE_LIMIT: z.coerce.number().int().positive().default(6000),
  /** Opens of the office live stream per key per minute (reconnects included). */
  STREAM_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  /**
   * A retry that finds an earlier request with its Idempotency-Key still talking to the provider
   * waits this long for that answer before it gets 409 "in progress" with Retry-After.
   */
  CHECKOUT_WAIT_MS: z.coerce.number().int().min(0).max(60000).default(5000),
  /**
   * Webhook deliveries a process may apply inside the request, together (the provider then reads
   * the outcome in the answer); the rest are stored (group commit) and answered "queued", and
   * the nudged applier applies them. 0 by default: applying inside the request cut the answer
   * rate to a fifth in the bench (docs/ARCHITECTURE.md "Webhooks: store, answer, apply").
   */
  WEBHOOK_INLINE_SLOTS: z.coerce.number().int().min(0).max(256).default(0),
  /** How long a stored delivery is retried before it is given up (Stripe retries for 3 days). */
  WEBHOOK_RETRY_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(3 * 24 * 3600),
  /**
   * Load shedding (503 + Retry-After before any database write or provider call): requests
   * handled at once per route group — POST /donations; the other routes that call a provider
   * (refunds, PayPal return, monthly changes); the webhooks. See docs/ARCHITECTURE.md.
   */
  SHED_DONATIONS_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(64),
  SHED_PROVIDER_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(16),
  SHED_WEBHOOKS_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(20),
  ...SHED_ENV,
  ...MAIL_ENV,
  ...FEE_ENV,
  /** Key of the monthly gifts' manage links (HS256); unset: derived from QR_SECRET. */
  MANAGE_TOKEN_SECRET: z
    .string()
    .min(32, 'MANAGE_TOKEN_SECRET must be at least 32 characters')
    .optional(),
  /** How long a manage link works; every receipt e-mail brings a fresh one (default 400 days). */
  MANAGE_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(400 * 24 * 3600),
  /** The donor web's manage page: the link in receipts is `${WEB_BASE_URL}/monthly/<token>`. */
  WEB_BASE_URL: z.url().default('http://127.0.0.1:3004'),
});

export interface PaymentConfig {
  port: number;
  databaseUrl: string;
  migrateOnStart: boolean;
  /** The pg pool under Prisma (DATABASE_POOL_MAX, DATABASE_POOL_TIMEOUT_MS). */
  databasePool: DatabasePool;
  topicNamespace: string;
  publicBaseUrl: string;
  thankYouUrl: string;
  donatePageUrl: string;
  receiptPrefix: string;
  maxDonationMinor: number;
  defaultFund: string;
  qrSecret: string;
  qrIntentTtlSeconds: number;
  stripe: {
    secretKey: string;
    webhookSecret: string;
    webhookToleranceSeconds: number;
    host?: string;
    port?: number;
    protocol?: 'http' | 'https';
  };
  paypal: {
    clientId: string;
    clientSecret: string;
    baseUrl: string;
    webUrl: string;
    webhookId: string;
    brandName: string;
  };
  publicRateLimit: number;
  /** POST /donations: per address, and per address and Idempotency-Key (per minute). */
  donationRateLimit: { perAddress: number; perKey: number };
  webhookRateLimit: number;
  streamRateLimit: number;
  /** Caps, maximum age and retry of the live streams (SSE_* variables). */
  sse: SseLimits;
  checkoutWaitMs: number;
  /** The webhook inbox: inline slots and retry window (WEBHOOK_* variables). */
  webhookInbox: { inlineSlots: number; retryWindowMs: number };

  /** In-flight bounds of the shed route groups (SHED_* variables). */
  shed: {
    donations: number;
    provider: number;
    webhooks: number;
    retryAfterSeconds: number;
    maxEventLoopDelayMs: number;
  };
  apiKeys: ApiKeyRecord[];
  /** Receipt e-mails: SMTP server, sender address, retries (SMTP_*, MAIL_* variables). */
  mail: MailConfig;
  /** Cover-the-fee estimates per provider and currency (FEE_ESTIMATES). */
  feeSchedule: FeeSchedule;
  /** Signed-in people's tokens from the web app (PERSON_TOKEN_*); none: API keys only. */
  personTokens?: PersonTokenOptions;
  /** Monthly gifts: the manage links' key and lifetime, and the web page they open. */
  manage: ManageTokenConfig & { webBaseUrl: string };
}

export function loadPaymentConfig(env: NodeJS.ProcessEnv = process.env): PaymentConfig {
  const e = loadConfig(EnvSchema, env);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    migrateOnStart: e.MIGRATE_ON_START,
    databasePool: databasePoolFromEnv(e),
    topicNamespace: e.TOPIC_NAMESPACE,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    thankYouUrl: e.THANK_YOU_URL,
    donatePageUrl: e.DONATE_PAGE_URL,
    receiptPrefix: e.RECEIPT_PREFIX,
    maxDonationMinor: e.MAX_DONATION_MINOR,
    defaultFund: e.DEFAULT_FUND,
    qrSecret: e.QR_SECRET,
    qrIntentTtlSeconds: e.QR_INTENT_TTL_SECONDS,
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      webhookToleranceSeconds: e.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      host: e.STRIPE_API_HOST,
      port: e.STRIPE_API_PORT,
      protocol: e.STRIPE_API_PROTOCOL,
    },
    paypal: {
      clientId: e.PAYPAL_CLIENT_ID,
      clientSecret: e.PAYPAL_CLIENT_SECRET,
      baseUrl: e.PAYPAL_BASE_URL,
      webUrl: e.PAYPAL_WEB_URL,
      webhookId: e.PAYPAL_WEBHOOK_ID,
      brandName: e.PAYPAL_BRAND_NAME,
    },
    publicRateLimit: e.PUBLIC_RATE_LIMIT,
    donationRateLimit: { perAddress: e.DONATION_RATE_LIMIT, perKey: e.DONATION_KEY_RATE_LIMIT },
    webhookRateLimit: e.WEBHOOK_RATE_LIMIT,
    streamRateLimit: e.STREAM_RATE_LIMIT,
    sse: sseLimitsFromEnv(e),
    checkoutWaitMs: e.CHECKOUT_WAIT_MS,
    webhookInbox: {
      inlineSlots: e.WEBHOOK_INLINE_SLOTS,
      retryWindowMs: e.WEBHOOK_RETRY_WINDOW_SECONDS * 1000,
    },
    shed: {
      donations: e.SHED_DONATIONS_MAX_IN_FLIGHT,
      provider: e.SHED_PROVIDER_MAX_IN_FLIGHT,
      webhooks: e.SHED_WEBHOOKS_MAX_IN_FLIGHT,
      retryAfterSeconds: e.SHED_RETRY_AFTER_SECONDS,
      maxEventLoopDelayMs: e.SHED_MAX_EVENT_LOOP_DELAY_MS,
    },
    apiKeys: parseApiKeys(e.API_KEYS),
    mail: mailConfigFromEnv(e),
    feeSchedule: e.FEE_ESTIMATES,
    personTokens: personTokensFromEnv(e, 'payment'),
    manage: {
      secret: e.MANAGE_TOKEN_SECRET ?? manageKeyFrom(e.QR_SECRET),
      ttlSeconds: e.MANAGE_TOKEN_TTL_SECONDS,
      webBaseUrl: e.WEB_BASE_URL.replace(/\/$/, ''),
    },
  };
}

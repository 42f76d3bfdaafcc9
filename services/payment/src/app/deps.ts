import type { Logger } from 'pino';
import type { OutboxRelay } from '@bfi/messaging';
import type { PaymentConfig } from '../config';
import type { Db } from '../db/repository';
import type { PayPalGateway } from '../providers/paypal';
import type { StripeGateway } from '../providers/stripe';
import type { StatusNotifier } from './notifier';
import type { ReceiptMailer } from './receipt-mailer';
import type { WebhookApplier } from './webhook-applier';
import type { WebhookIntake } from './webhook-intake';

/**
 * The donor secret's crypto (see @bfi/http donor-secret.ts, shared with reward), handed in by
 * service.ts so the use cases need no HTTP package.
 */
export interface DonorSecrets {
  /** The secret of a donation: the same on every retry, unguessable without the server key. */
  derive(donationId: string): string;
  /** What is stored (and sent to reward) instead of the secret. */
  hash(secret: string): string;
  /** Whether a request's secret hashes to the stored hash (a missing hash matches nothing). */
  matches(secret: string | undefined, storedHash: string | null): boolean;
}

/** Everything the use cases need; built once by createPaymentService. */
export interface AppDeps {
  db: Db;
  namespace: string;
  relay: OutboxRelay;
  notifier: StatusNotifier;
  /** Sends the receipt e-mails queued with each success. */
  mailer: ReceiptMailer;
  /** The inbox of provider deliveries: stores each one, applies it inline or in its loop. */
  webhooks: WebhookApplier;
  /** The webhooks' answer path: stores each verified delivery (group commit), nudges the applier. */
  inbox: WebhookIntake;
  stripe: StripeGateway;
  paypal: PayPalGateway;
  config: PaymentConfig;
  donorSecrets: DonorSecrets;
  logger: Logger;
  now: () => Date;
}

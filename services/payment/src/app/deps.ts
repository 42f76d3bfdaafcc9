import type { Logger } from 'pino';
import type { OutboxRelay } from '@bfi/messaging';
import type { PaymentConfig } from '../config';
import type { Db } from '../db/repository';
import type { PayPalGateway } from '../providers/paypal';
import type { StripeGateway } from '../providers/stripe';
import type { StatusNotifier } from './notifier';
import type { ReceiptMailer } from './receipt-mailer';

/** Everything the use cases need; built once by createPaymentService. */
export interface AppDeps {
  db: Db;
  namespace: string;
  relay: OutboxRelay;
  notifier: StatusNotifier;
  /** Sends the receipt e-mails queued with each success. */
  mailer: ReceiptMailer;
  stripe: StripeGateway;
  paypal: PayPalGateway;
  config: PaymentConfig;
  logger: Logger;
  now: () => Date;
}

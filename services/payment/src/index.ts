export { createPaymentService, type PaymentService, type PaymentServiceDeps } from './service';
export { loadPaymentConfig, type PaymentConfig } from './config';
export { PrismaClient } from './db/repository';
export {
  decide,
  paypalRefusal,
  PAYPAL_CURRENCIES,
  type Command,
  type DonationState,
  type Fact,
} from './domain/donation';
export { signQrToken, verifyQrToken } from './domain/qr';

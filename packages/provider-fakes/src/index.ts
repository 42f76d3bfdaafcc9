export {
  FakeStripe,
  type FakeStripeOptions,
  type PayOptions,
  type StripeEvent,
  type StripeObject,
} from './stripe';
export { FakePayPal, toMajor, toMinor, type FakePayPalOptions, type PayPalEvent } from './paypal';
export { parseStripeForm, type Delivery } from './http-util';
export {
  MailCatcher,
  type CaughtAttachment,
  type CaughtMail,
  type MailCatcherOptions,
} from './mail-catcher';
export { mailInbox } from './mail-inbox';

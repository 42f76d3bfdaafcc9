import type paypal from '@paypal/checkout-server-sdk';
import type Stripe from 'stripe';

/** Stripe / PayPal SDK clients for statement imports (absent: that import is unavailable). */
export interface ProviderClients {
  stripe?: Stripe;
  paypal?: paypal.core.PayPalHttpClient;
}

import paypal from '@paypal/checkout-server-sdk';
import Stripe from 'stripe';
import type { PledgeLedgerConfig } from '../config';
import type { ProviderClients } from './app/providers';

/** SDK clients for statement imports, from config (a base URL may point at a local fake). */
export function providerClients(
  config: Pick<PledgeLedgerConfig, 'stripe' | 'paypal'>,
): ProviderClients {
  const clients: ProviderClients = {};
  if (config.stripe) {
    const url = config.stripe.apiUrl ? new URL(config.stripe.apiUrl) : null;
    clients.stripe = new Stripe(config.stripe.secretKey, {
      maxNetworkRetries: 2,
      ...(url
        ? {
            host: url.hostname,
            port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
            protocol: url.protocol === 'https:' ? 'https' : 'http',
          }
        : {}),
    });
  }
  if (config.paypal) {
    const env = new paypal.core.PayPalEnvironment(
      config.paypal.clientId,
      config.paypal.clientSecret,
      config.paypal.baseUrl,
      config.paypal.baseUrl,
    );
    clients.paypal = new paypal.core.PayPalHttpClient(env);
  }
  return clients;
}

// The fake Stripe and PayPal of a local run (embedded or real mode): the real SDKs talk to them.
import { join } from 'node:path';
import { FakePayPal, FakeStripe } from '@bfi/provider-fakes';

export interface FakeProviders {
  stripe: FakeStripe;
  paypal: FakePayPal;
  urls: { stripe: string; paypal: string };
  /** Payment-service settings that point the real SDKs at the fakes. */
  paymentEnv: Record<string, string>;
  /** Ledger settings for statement imports from the fakes (what the demo's reconciliation reads). */
  ledgerEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The demo's webhook secrets (documented in the README; never used with a real provider). */
export const DEMO_STRIPE_WEBHOOK_SECRET = 'whsec_local_demo';
export const DEMO_PAYPAL_WEBHOOK_ID = 'WH-LOCAL-DEMO';

/**
 * The fakes rewrite their whole state file on a save: once a second at most, not after every
 * request (that grew with every gift the demo took and was a tenth of the suite's CPU under load).
 * A hard crash loses at most the fake's last second; stop() writes what is pending.
 */
const STATE_SAVE_DELAY_MS = 1000;

/**
 * Local Stripe and PayPal (the real SDKs talk to them; webhooks are really signed) for a demo
 * checkout where the real providers cannot be reached. Ports: FAKE_STRIPE_PORT (12111) and
 * FAKE_PAYPAL_PORT (12112); 0 picks free ones. Their state is kept in `stateDir`, so a restart
 * keeps open checkout pages and refundable charges.
 */
export async function startFakeProviders(
  paymentUrl: string,
  stateDir: string,
): Promise<FakeProviders> {
  const stripe = new FakeStripe({
    webhookSecret: DEMO_STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${paymentUrl}/webhooks/stripe`,
    stateFile: join(stateDir, 'stripe.json'),
    stateSaveDelayMs: STATE_SAVE_DELAY_MS,
  });
  const paypal = new FakePayPal({
    webhookId: DEMO_PAYPAL_WEBHOOK_ID,
    webhookUrl: `${paymentUrl}/webhooks/paypal`,
    stateFile: join(stateDir, 'paypal.json'),
    stateSaveDelayMs: STATE_SAVE_DELAY_MS,
  });
  const stripeUrl = await stripe.start(Number(process.env.FAKE_STRIPE_PORT ?? 12111));
  const paypalUrl = await paypal.start(Number(process.env.FAKE_PAYPAL_PORT ?? 12112));
  const sdk = stripe.sdkOptions();
  // Both payment and the ledger's statement imports use these (the fakes accept any sk_ key).
  const credentials = {
    STRIPE_SECRET_KEY: 'sk_test_local_demo',
    PAYPAL_BASE_URL: paypalUrl,
    PAYPAL_CLIENT_ID: paypal.clientId,
    PAYPAL_CLIENT_SECRET: paypal.clientSecret,
  };
  return {
    stripe,
    paypal,
    urls: { stripe: stripeUrl, paypal: paypalUrl },
    paymentEnv: {
      ...credentials,
      PUBLIC_BASE_URL: paymentUrl,
      STRIPE_WEBHOOK_SECRET: DEMO_STRIPE_WEBHOOK_SECRET,
      STRIPE_API_HOST: sdk.host,
      STRIPE_API_PORT: String(sdk.port),
      STRIPE_API_PROTOCOL: 'http',
      PAYPAL_WEB_URL: paypalUrl,
      PAYPAL_WEBHOOK_ID: DEMO_PAYPAL_WEBHOOK_ID,
    },
    ledgerEnv: { ...credentials, STRIPE_API_URL: stripeUrl },
    async stop() {
      await stripe.stop();
      await paypal.stop();
    },
  };
}

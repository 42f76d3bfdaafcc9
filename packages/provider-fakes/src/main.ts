// The fake Stripe and PayPal as one standalone process, for docker-compose.yml's demo (the
// embedded `npm start` runs them in-process instead). Settings from the environment:
//   FAKE_STRIPE_PORT (12111), FAKE_PAYPAL_PORT (12112), FAKES_HOST (interface, default 0.0.0.0),
//   STRIPE_WEBHOOK_URL, PAYPAL_WEBHOOK_URL (where the signed deliveries go: payment's /webhooks/*),
//   STRIPE_WEBHOOK_SECRET (whsec_local_demo), PAYPAL_WEBHOOK_ID (WH-LOCAL-DEMO),
//   FAKES_STATE_DIR (state files; unset keeps state in memory).
// The checkout pages they hand to the donor are on http://127.0.0.1:<port>: publish the same port.
import { join } from 'node:path';
import { FakePayPal } from './paypal';
import { FakeStripe } from './stripe';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const host = env.FAKES_HOST ?? '0.0.0.0';
  const stateDir = env.FAKES_STATE_DIR;
  const stripe = new FakeStripe({
    webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? 'whsec_local_demo',
    webhookUrl: env.STRIPE_WEBHOOK_URL,
    stateFile: stateDir ? join(stateDir, 'stripe.json') : undefined,
  });
  const paypal = new FakePayPal({
    webhookId: env.PAYPAL_WEBHOOK_ID ?? 'WH-LOCAL-DEMO',
    webhookUrl: env.PAYPAL_WEBHOOK_URL,
    stateFile: stateDir ? join(stateDir, 'paypal.json') : undefined,
  });
  const stripeUrl = await stripe.start(Number(env.FAKE_STRIPE_PORT ?? 12111), host);
  const paypalUrl = await paypal.start(Number(env.FAKE_PAYPAL_PORT ?? 12112), host);
  console.log(
    JSON.stringify({
      msg: 'fake providers listening',
      host,
      stripe: stripeUrl,
      paypal: paypalUrl,
      paypalClientId: paypal.clientId,
    }),
  );
  const stop = (): void => {
    void Promise.all([stripe.stop(), paypal.stop()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.env).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

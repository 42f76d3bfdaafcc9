/**
 * `npm start`. With nothing configured: the embedded suite (PGlite, in-process transport, fake
 * Stripe and PayPal, demo data) in this one process. With KAFKA_BROKERS and the three
 * *_DATABASE_URLs set (what `npm run start:real` does after starting Kafka and PostgreSQL
 * through infra/): each service as its own process on real Kafka and PostgreSQL.
 */
import { resolve } from 'node:path';
import { createLogger } from '@bfi/messaging';
import { keyRecords, loadOrCreateDemoKeys, type DemoKeys } from './demo-keys';
import { startEmbedded, startFakeProviders } from './embedded';
import { startProcesses, stopProcesses } from './real';
import { paymentWebEnv, rewardWebEnv, webEnv } from './web';

const ROOT = resolve(__dirname, '..', '..', '..');
const logger = createLogger('suite');
const dataDir = resolve(ROOT, process.env.DATA_DIR ?? '.data');

async function main(): Promise<void> {
  const env = process.env;
  if (
    env.KAFKA_BROKERS &&
    env.PAYMENT_DATABASE_URL &&
    env.LEDGER_DATABASE_URL &&
    env.REWARD_DATABASE_URL
  ) {
    const keys = loadOrCreateDemoKeys(resolve(dataDir, 'demo-keys.json'));
    const base = Number(env.PORT ?? 3001);
    const api = (n: number) => `http://127.0.0.1:${base + n}`;
    const webUrl = api(3);
    // No Stripe key configured: a local run, so the fake providers stand in for a demo checkout.
    const fakes = env.STRIPE_SECRET_KEY ? undefined : await startFakeProviders(api(0));
    const processes = startProcesses({
      kafkaBrokers: env.KAFKA_BROKERS,
      databaseUrls: {
        payment: env.PAYMENT_DATABASE_URL,
        ledger: env.LEDGER_DATABASE_URL,
        reward: env.REWARD_DATABASE_URL,
      },
      apiKeys: JSON.stringify(keyRecords(keys)),
      basePort: base,
      logger,
      paymentEnv: {
        QR_SECRET: env.QR_SECRET ?? 'local-real-run-qr-secret',
        ...fakes?.paymentEnv,
        ...paymentWebEnv(webUrl),
      },
      rewardEnv: rewardWebEnv(webUrl),
      webEnv: webEnv(
        base + 3,
        { payment: api(0), ledger: api(1), reward: api(2) },
        fakes ? [fakes.urls.stripe, fakes.urls.paypal] : [],
      ),
    });
    printBanner(
      'real Kafka + PostgreSQL, one process per service',
      // The donor pages first: that is where a person starts.
      Object.fromEntries(
        [
          ...processes.filter((p) => p.name === 'web'),
          ...processes.filter((p) => p.name !== 'web'),
        ].map((p) => [p.name, p.url]),
      ),
      keys,
    );
    const stop = () =>
      void stopProcesses(processes)
        .then(() => fakes?.stop())
        .then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  const started = Date.now();
  const suite = await startEmbedded({
    dataDir,
    basePort: Number(env.PORT ?? 3001),
    pgBasePort: Number(env.EMBEDDED_PG_PORT ?? 54331),
  });
  printBanner(
    `embedded (data in ${dataDir}; started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    {
      web: suite.urls.web,
      payment: suite.urls.payment,
      'pledge-ledger': suite.urls.ledger,
      reward: suite.urls.reward,
      'fake Stripe': suite.urls.stripe,
      'fake PayPal': suite.urls.paypal,
    },
    suite.keys,
  );
  const stop = () => void suite.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function printBanner(mode: string, urls: Record<string, string>, keys: DemoKeys): void {
  const payment = urls.payment;
  const office = Object.keys(keys.staff)[0]!;
  console.log(
    [
      '',
      '#BullyingFreeInternet donation suite is running — ' + mode,
      '',
      `  Open the donor pages: ${urls.web}`,
      '',
      ...Object.entries(urls).map(([name, url]) => `  ${name.padEnd(14)} ${url}`),
      '',
      `Demo API keys (kept in ${resolve(dataDir, 'demo-keys.json')}):`,
      `  admin    ${keys.admin}`,
      `  finance  ${keys.finance}`,
      ...Object.entries(keys.staff).map(([o, k]) => `  staff of ${o}: ${k}`),
      '',
      'Try:',
      `  curl -s -X POST ${payment}/donations -H 'content-type: application/json' -H "Idempotency-Key: $(uuidgen || date +%s%N)" \\`,
      `       -d '{"amount":2500,"currency":"BYN","provider":"stripe","donorName":"Anna"}'`,
      `     → in another terminal watch it live: curl -sN ${payment}/donations/<id>/events`,
      '     → open the redirectUrl it returns and press Pay (fake Stripe), then:',
      `  curl -s ${payment}/donations/<id>`,
      `  curl -s ${urls['pledge-ledger']}/campaign/totals`,
      `  curl -s ${urls['pledge-ledger']}/funds/specialist-training/totals -H 'authorization: Bearer ${keys.finance}'`,
      `  curl -s ${urls.reward}/rewards/by-donation/<id>`,
      `  curl -s ${urls.reward}/offices/${office}/stock -H 'authorization: Bearer ${keys.staff[office]}'`,
      '',
      'Child helpline (Belarus, free): 8 800 100 16 11',
      'Ctrl+C stops everything; data survives a restart.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  logger.error({ err }, 'the suite could not start');
  process.exit(1);
});

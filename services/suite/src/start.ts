/**
 * `npm start`. With nothing configured: the embedded suite (PGlite, in-process transport, fake
 * Stripe and PayPal, demo data) in this one process. With KAFKA_BROKERS and the three
 * *_DATABASE_URLs set (what `npm run start:real` does after starting Kafka and PostgreSQL
 * through infra/): each service as its own process on real Kafka and PostgreSQL.
 */
import './telemetry';
import { join, resolve } from 'node:path';
import { createLogger, guardProcess } from '@bfi/platform';
import { stopTelemetry } from '@bfi/telemetry';
import { printBanner } from './banner';
import { DataDirInUseError, lockDataDir, type DataDirLock } from './data-lock';
import { keyRecords, loadOrCreateDemoKeys, type DemoKeys } from './demo-keys';
import { startEmbedded } from './embedded';
import { startFakeProviders, type FakeProviders } from './fakes';
import { startLocalMail, type LocalMail } from './mail';
import { startDemoProvider, type DemoProvider } from './oidc';
import { loadOrCreatePersonTokenKeys, servicePersonTokenEnv } from './person-keys';
import {
  startProcesses,
  stopProcesses,
  waitUntilReady,
  type RealOptions,
  type ServiceProcess,
} from './real';
import { paymentWebEnv, rewardWebEnv, webEnv } from './web';

const ROOT = resolve(__dirname, '..', '..', '..');
const logger = createLogger('suite');
guardProcess(logger);
const dataDir = resolve(ROOT, process.env.DATA_DIR ?? '.data');

/** A started suite: what the banner lists (name → URL, in this order) and how to stop it. */
interface Running {
  mode: string;
  urls: Record<string, string>;
  keys: DemoKeys;
  stop(): Promise<void>;
}

function personTokenSetup() {
  const personKeys = loadOrCreatePersonTokenKeys(resolve(dataDir, 'person-token-key.json'));
  return { personKeys, personTokens: servicePersonTokenEnv(personKeys) };
}

/** No identity provider configured (OIDC_ISSUER_URL): the demo one, with the demo people. */
function demoProviderUnlessConfigured(env: NodeJS.ProcessEnv, port: number, webUrl: string) {
  if (env.OIDC_ISSUER_URL) return undefined;
  return startDemoProvider({
    port,
    webUrl,
    secretsFile: join(dataDir, 'oidc-provider.json'),
    logger,
  });
}

/** What a real run starts beside the services when the real thing is not configured. */
interface StandIns {
  fakes: FakeProviders | undefined;
  mail: LocalMail | null;
  oidc: DemoProvider | undefined;
}

async function startReal(env: NodeJS.ProcessEnv, basePort: number): Promise<Running> {
  const keys = loadOrCreateDemoKeys(resolve(dataDir, 'demo-keys.json'));
  const personTokens = personTokenSetup();
  const standIns = await startStandIns(env, basePort);
  const processes = startProcesses(realOptions(env, basePort, keys, personTokens, standIns));
  const stop = async () => {
    await stopProcesses(processes);
    await Promise.all([standIns.fakes?.stop(), standIns.mail?.stop(), standIns.oidc?.stop()]);
  };
  try {
    await waitUntilReady(processes);
  } catch (err) {
    await stop();
    throw err;
  }
  const urls = bannerUrls(processes, standIns);
  return { mode: 'real Kafka + PostgreSQL, one process per service', urls, keys, stop };
}

/** The URL of the service on port basePort + n (payment 0, ledger 1, reward 2, web 3, OIDC 4). */
function localUrl(basePort: number, n: number): string {
  return `http://127.0.0.1:${basePort + n}`;
}

async function startStandIns(env: NodeJS.ProcessEnv, basePort: number): Promise<StandIns> {
  // No Stripe key configured: a local run, so the fake providers stand in for a demo checkout.
  const fakes = env.STRIPE_SECRET_KEY
    ? undefined
    : await startFakeProviders(localUrl(basePort, 0), join(dataDir, 'fakes'));
  const mail = await startLocalMail(env, join(dataDir, 'mail'));
  const oidc = await demoProviderUnlessConfigured(env, basePort + 4, localUrl(basePort, 3));
  return { fakes, mail, oidc };
}

/** Each service's settings: the real Kafka and databases, the demo keys, and the stand-ins. */
function realOptions(
  env: NodeJS.ProcessEnv,
  basePort: number,
  keys: DemoKeys,
  { personKeys, personTokens }: ReturnType<typeof personTokenSetup>,
  { fakes, mail, oidc }: StandIns,
): RealOptions {
  const paymentUrl = localUrl(basePort, 0);
  const webUrl = localUrl(basePort, 3);
  return {
    kafkaBrokers: env.KAFKA_BROKERS!,
    databaseUrls: {
      payment: env.PAYMENT_DATABASE_URL!,
      ledger: env.LEDGER_DATABASE_URL!,
      reward: env.REWARD_DATABASE_URL!,
    },
    apiKeys: JSON.stringify(keyRecords(keys)),
    basePort,
    logger,
    paymentEnv: {
      QR_SECRET: env.QR_SECRET ?? 'local-real-run-qr-secret',
      ...fakes?.paymentEnv,
      ...paymentWebEnv(webUrl),
      ...mail?.paymentEnv,
      ...personTokens,
    },
    ledgerEnv: { ...fakes?.ledgerEnv, ...personTokens },
    rewardEnv: { ...rewardWebEnv(webUrl), ...personTokens },
    webEnv: {
      ...webEnv(
        basePort + 3,
        { payment: paymentUrl, ledger: localUrl(basePort, 1), reward: localUrl(basePort, 2) },
        fakes ? [fakes.urls.stripe, fakes.urls.paypal] : [],
      ),
      PERSON_TOKEN_PRIVATE_KEY: personKeys.privateKey,
      PEOPLE_FILE: resolve(dataDir, 'people.json'),
      ...oidc?.webEnv,
    },
  };
}

/** Name → URL for the banner: the donor pages first (that is where a person starts). */
function bannerUrls(
  processes: ServiceProcess[],
  { fakes, mail, oidc }: StandIns,
): Record<string, string> {
  const byName = (name: string) => processes.filter((p) => (p.name === 'web') === (name === 'web'));
  const urls = Object.fromEntries(
    [...byName('web'), ...byName('other')].map((p) => [p.name, p.url]),
  );
  if (fakes)
    Object.assign(urls, { 'fake Stripe': fakes.urls.stripe, 'fake PayPal': fakes.urls.paypal });
  if (mail) urls['mail inbox'] = mail.inboxUrl;
  if (oidc) urls['sign-in (OIDC)'] = oidc.issuer;
  return urls;
}

async function startEmbeddedSuite(env: NodeJS.ProcessEnv, basePort: number): Promise<Running> {
  const started = Date.now();
  const suite = await startEmbedded({
    dataDir,
    basePort,
    pgBasePort: Number(env.EMBEDDED_PG_PORT ?? 54331),
    extraWebUrls: env.OIDC_DEMO_EXTRA_WEB_URLS?.split(/\s+/).filter(Boolean),
  });
  return {
    mode: `embedded (data in ${dataDir}; started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    urls: {
      web: suite.urls.web,
      payment: suite.urls.payment,
      'pledge-ledger': suite.urls.ledger,
      reward: suite.urls.reward,
      'fake Stripe': suite.urls.stripe,
      'fake PayPal': suite.urls.paypal,
      ...(suite.urls.inbox ? { 'mail inbox': suite.urls.inbox } : {}),
      'sign-in (OIDC)': suite.urls.oidc,
    },
    keys: suite.keys,
    stop: () => suite.stop(),
  };
}

function takeDataDir(): DataDirLock {
  try {
    return lockDataDir(dataDir);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    console.error(`\nnpm start: ${err.message}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const env = process.env;
  // Before anything opens a database or a file in the folder: a second suite on it corrupts it.
  const lock = takeDataDir();
  const basePort = Number(env.PORT ?? 3001);
  const real =
    env.KAFKA_BROKERS &&
    env.PAYMENT_DATABASE_URL &&
    env.LEDGER_DATABASE_URL &&
    env.REWARD_DATABASE_URL;
  let suite: Running;
  try {
    suite = real ? await startReal(env, basePort) : await startEmbeddedSuite(env, basePort);
  } catch (err) {
    lock.release();
    throw err;
  }
  printBanner({ ...suite, dataDir });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping the suite');
    void suite
      .stop()
      .catch((err: unknown) => logger.error({ err }, 'stopping the suite failed'))
      .then(() => stopTelemetry())
      .catch((err: unknown) => logger.warn({ err }, 'exporting the last spans failed'))
      .finally(() => {
        lock.release();
        process.exit(0);
      });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

main().catch((err: unknown) => {
  logger.error({ err }, 'the suite could not start');
  process.exit(1);
});

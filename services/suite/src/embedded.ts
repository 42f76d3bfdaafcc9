import { join } from 'node:path';
import { applyMigrations, createPrisma } from '@bfi/db';
import { closeServer, listen } from '@bfi/http';
import { InProcessTransport } from '@bfi/messaging';
import {
  createPaymentService,
  loadPaymentConfig,
  paymentFiles,
  PrismaClient as PaymentDb,
} from '@bfi/payment';
import { createLogger, type Logger } from '@bfi/platform';
import {
  createPledgeLedgerService,
  loadPledgeLedgerConfig,
  pledgeLedgerFiles,
  PrismaClient as LedgerDb,
  providerClients,
} from '@bfi/pledge-ledger';
import type { FakePayPal, FakeStripe } from '@bfi/provider-fakes';
import {
  loadRewardConfig,
  createRewardService,
  PrismaClient as RewardDb,
  rewardFiles,
  seedDemo,
} from '@bfi/reward';
import { startFakeProviders, type FakeProviders } from './fakes';
import { DEMO_OFFICES, keyRecords, loadOrCreateDemoKeys, type DemoKeys } from './demo-keys';
import { smtpEnv, startLocalMail, type LocalMail } from './mail';
import { startDemoProvider } from './oidc';
import { loadOrCreatePersonTokenKeys, servicePersonTokenEnv } from './person-keys';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './pglite';
import { paymentWebEnv, rewardWebEnv, startWebInProcess, webEnv, type ApiUrls } from './web';

/** Each service's migrations, as its package exports them. */
const MIGRATIONS = {
  payment: paymentFiles.migrations,
  'pledge-ledger': pledgeLedgerFiles.migrations,
  reward: rewardFiles.migrations,
};

export interface EmbeddedOptions {
  dataDir: string;
  /** First of the four HTTP ports (payment, pledge-ledger, reward, web). */
  basePort?: number;
  /** First of the three embedded PostgreSQL ports. */
  pgBasePort?: number;
  logger?: Logger;
  /** Demo seed (offices, points, stock, rules): on by default. */
  seed?: boolean;
  /** Other web instances the demo OpenID provider accepts (tests with their own web). */
  extraWebUrls?: string[];
}

export interface EmbeddedSuite {
  urls: {
    web: string;
    payment: string;
    ledger: string;
    reward: string;
    stripe: string;
    paypal: string;
    /** The local inbox of the receipt e-mails; null when a real SMTP server is configured. */
    inbox: string | null;
    oidc: string;
  };
  keys: DemoKeys;
  stripe: FakeStripe;
  paypal: FakePayPal;
  stop(): Promise<void>;
}

type Stoppers = (() => Promise<unknown>)[];
type ApiName = 'payment' | 'pledge-ledger' | 'reward';

/** What the three APIs are configured from: their ports and URLs, keys, the fakes and the mail. */
interface ApiSetup {
  ports: Record<ApiName, number>;
  webUrl: string;
  apiKeys: string;
  personTokens: Record<string, string>;
  fakes: FakeProviders;
  mail: LocalMail | null;
  transport: InProcessTransport;
  logger: Logger;
}

/**
 * The whole suite in one process with nothing installed but Node: one PGlite per service,
 * the in-process transport (its log in the data folder), fake Stripe and PayPal for a demo
 * checkout. The services are built by the same factories their own main.ts uses.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedSuite> {
  const logger = options.logger ?? createLogger('suite');
  const basePort = options.basePort ?? 3001;
  const ports = { payment: basePort, 'pledge-ledger': basePort + 1, reward: basePort + 2 };
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const webPort = basePort + 3;
  const webUrl = url(webPort);
  const stoppers: Stoppers = [];
  const keys = loadOrCreateDemoKeys(join(options.dataDir, 'demo-keys.json'));
  const personKeys = loadOrCreatePersonTokenKeys(join(options.dataDir, 'person-token-key.json'));
  try {
    const databases = await startDatabases(options, logger, stoppers);
    const transport = new InProcessTransport({ logger, dir: join(options.dataDir, 'bus') });
    stoppers.push(() => transport.close());
    const fakes = await startFakeProviders(url(ports.payment), join(options.dataDir, 'fakes'));
    stoppers.push(() => fakes.stop());
    const mail = await startLocalMail(process.env, join(options.dataDir, 'mail'));
    if (mail) stoppers.push(() => mail.stop());
    const setup: ApiSetup = {
      ports,
      webUrl,
      apiKeys: JSON.stringify(keyRecords(keys)),
      personTokens: servicePersonTokenEnv(personKeys),
      fakes,
      mail,
      transport,
      logger,
    };
    const apis = await startApis(setup, databases, stoppers);
    const apiUrls = {
      payment: url(ports.payment),
      ledger: url(ports['pledge-ledger']),
      reward: url(ports.reward),
    };
    const { oidc, web } = await startPages(options, setup, stoppers, {
      webPort,
      oidcPort: basePort + 4,
      apiUrls,
      personTokenPrivateKey: personKeys.privateKey,
    });
    if (options.seed ?? true) await seedDemoData(apis, apiUrls.payment, keys.admin);
    return {
      urls: {
        web: web.url,
        ...apiUrls,
        ...fakes.urls,
        inbox: mail?.inboxUrl ?? null,
        oidc: oidc.issuer,
      },
      keys,
      stripe: fakes.stripe,
      paypal: fakes.paypal,
      stop: () => runStoppers(stoppers),
    };
  } catch (err) {
    await runStoppers(stoppers);
    throw err;
  }
}

/** The demo OpenID provider and the donor pages (services/web) in this process. */
async function startPages(
  options: EmbeddedOptions,
  setup: ApiSetup,
  stoppers: Stoppers,
  at: { webPort: number; oidcPort: number; apiUrls: ApiUrls; personTokenPrivateKey: string },
) {
  const oidc = await startDemoProvider({
    port: at.oidcPort,
    webUrl: setup.webUrl,
    secretsFile: join(options.dataDir, 'oidc-provider.json'),
    logger: setup.logger,
    extraWebUrls: options.extraWebUrls,
  });
  stoppers.push(() => oidc.stop());
  const { stripe, paypal } = setup.fakes.urls;
  const web = await startWebInProcess(
    {
      ...oidc.webEnv,
      ...webEnv(at.webPort, at.apiUrls, [stripe, paypal]),
      PERSON_TOKEN_PRIVATE_KEY: at.personTokenPrivateKey,
      PEOPLE_FILE: join(options.dataDir, 'people.json'),
    },
    setup.logger,
  );
  stoppers.push(() => web.stop());
  return { oidc, web };
}

/** One PGlite per service (own folder, own port), migrated with the service's own migrations. */
async function startDatabases(
  options: EmbeddedOptions,
  logger: Logger,
  stoppers: Stoppers,
): Promise<Record<ApiName, EmbeddedPostgres>> {
  const pgBase = options.pgBasePort ?? 54331;
  const databases = {} as Record<ApiName, EmbeddedPostgres>;
  for (const [i, service] of (['payment', 'pledge-ledger', 'reward'] as const).entries()) {
    const pg = await startEmbeddedPostgres(join(options.dataDir, 'pg', service), pgBase + i);
    stoppers.push(() => pg.stop());
    databases[service] = pg;
  }
  for (const service of ['payment', 'pledge-ledger', 'reward'] as const) {
    const { applied } = await applyMigrations(databases[service].url, MIGRATIONS[service]);
    if (applied.length) logger.info({ service, applied }, 'migrations applied');
  }
  return databases;
}

/**
 * The three APIs, built by their own factories on one connection each (PGlite is
 * single-session), started and listening; resolves once payment knows the ledger's funds.
 */
async function startApis(
  setup: ApiSetup,
  databases: Record<ApiName, EmbeddedPostgres>,
  stoppers: Stoppers,
) {
  const paymentDb = createPrisma(PaymentDb, databases.payment.url, { max: 1 });
  const ledgerDb = createPrisma(LedgerDb, databases['pledge-ledger'].url, { max: 1 });
  const rewardDb = createPrisma(RewardDb, databases.reward.url, { max: 1 });
  stoppers.push(
    () => paymentDb.$disconnect(),
    () => ledgerDb.$disconnect(),
    () => rewardDb.$disconnect(),
  );
  const paymentLogger = setup.logger.child({ service: 'payment' });
  const payment = paymentService(setup, paymentDb, databases.payment.url, paymentLogger);
  const services = [
    ['payment', payment],
    ['pledge-ledger', ledgerService(setup, ledgerDb, databases['pledge-ledger'].url)],
    ['reward', rewardService(setup, rewardDb, databases.reward.url)],
  ] as const;
  for (const [name, service] of services) {
    await service.start();
    stoppers.push(() => service.stop());
    const server = await listen(service.app, setup.ports[name], '127.0.0.1');
    stoppers.push(() => closeServer(server));
    setup.logger.info({ service: name, port: setup.ports[name] }, 'listening');
  }
  // The ledger announced its funds at start; payment takes gifts once they have arrived.
  await payment.fundsKnown();
  return { paymentLogger, rewardDb };
}

function paymentService(setup: ApiSetup, db: PaymentDb, databaseUrl: string, logger: Logger) {
  return createPaymentService({
    db,
    transport: setup.transport,
    logger,
    config: loadPaymentConfig({
      DATABASE_URL: databaseUrl,
      PORT: String(setup.ports.payment),
      QR_SECRET: 'embedded-demo-qr-secret-not-for-production',
      API_KEYS: setup.apiKeys,
      ...setup.personTokens,
      ...setup.fakes.paymentEnv,
      ...paymentWebEnv(setup.webUrl),
      ...(setup.mail?.paymentEnv ?? smtpEnv(process.env)),
      ...rateLimitEnv(process.env),
    }),
  });
}

/** The rate limits as set for the process, so `npm start` limits as a deployed payment does. */
function rateLimitEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = [
    'PUBLIC_RATE_LIMIT',
    'DONATION_RATE_LIMIT',
    'DONATION_KEY_RATE_LIMIT',
    'WEBHOOK_RATE_LIMIT',
    'STREAM_RATE_LIMIT',
  ];
  return Object.fromEntries(names.flatMap((n) => (env[n] ? [[n, env[n]]] : [])));
}

function ledgerService(setup: ApiSetup, db: LedgerDb, databaseUrl: string) {
  const config = loadPledgeLedgerConfig({
    DATABASE_URL: databaseUrl,
    API_KEYS: setup.apiKeys,
    ...setup.personTokens,
    ...setup.fakes.ledgerEnv,
  });
  return createPledgeLedgerService({
    db,
    transport: setup.transport,
    logger: setup.logger.child({ service: 'pledge-ledger' }),
    config,
    // Statement imports read the fake providers, as main.ts does the real ones.
    providers: providerClients(config),
  });
}

function rewardService(setup: ApiSetup, db: RewardDb, databaseUrl: string) {
  return createRewardService({
    db,
    transport: setup.transport,
    logger: setup.logger.child({ service: 'reward' }),
    config: loadRewardConfig({
      DATABASE_URL: databaseUrl,
      PORT: String(setup.ports.reward),
      PUBLIC_BASE_URL: `http://127.0.0.1:${setup.ports.reward}`,
      API_KEYS: setup.apiKeys,
      ...setup.personTokens,
      ...rewardWebEnv(setup.webUrl),
    }),
  });
}

/** The demo's offices, donation points, stock and reward rules (idempotent). */
async function seedDemoData(
  apis: { paymentLogger: Logger; rewardDb: RewardDb },
  paymentUrl: string,
  adminKey: string,
): Promise<void> {
  // The seed's own requests are not worth a log line each: they would bury the banner.
  await quietly(apis.paymentLogger, () => seedPayment(paymentUrl, adminKey));
  await seedDemo(apis.rewardDb);
}

/** Stops in reverse order of start: HTTP, services (consumers, relays), pools, transport, databases. */
async function runStoppers(stoppers: Stoppers): Promise<void> {
  for (const stop of [...stoppers].reverse()) await stop().catch(() => undefined);
}

/** Runs `work` with the logger (and request loggers made from it meanwhile) at warn at most. */
async function quietly<T>(target: Logger, work: () => Promise<T>): Promise<T> {
  const level = target.level;
  if (target.levelVal < target.levels.values.warn!) target.level = 'warn';
  try {
    return await work();
  } finally {
    target.level = level;
  }
}

/** Offices and donation points through the admin API, like an administrator would; idempotent. */
async function seedPayment(baseUrl: string, adminKey: string): Promise<void> {
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const existing = (await (await fetch(`${baseUrl}/offices`, { headers })).json()) as {
    id: string;
  }[];
  for (const office of DEMO_OFFICES) {
    if (existing.some((o) => o.id === office.id)) continue;
    await mustOk(
      fetch(`${baseUrl}/offices`, { method: 'POST', headers, body: JSON.stringify(office) }),
    );
    for (const point of [
      { label: 'Counter 1', kind: 'counter' },
      { label: 'Entrance poster', kind: 'poster' },
    ]) {
      await mustOk(
        fetch(`${baseUrl}/offices/${office.id}/points`, {
          method: 'POST',
          headers,
          body: JSON.stringify(point),
        }),
      );
    }
  }
}

async function mustOk(response: Promise<Response>): Promise<void> {
  const res = await response;
  if (!res.ok) throw new Error(`demo seed failed: ${res.status} ${await res.text()}`);
}

import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '@bfi/platform';
import { webFiles } from '@bfi/web';
import { SERVICE_FILES } from './service-process';

const FILES = { ...SERVICE_FILES, web: webFiles };

export interface RealOptions {
  kafkaBrokers: string;
  databaseUrls: { payment: string; ledger: string; reward: string };
  apiKeys: string;
  basePort?: number;
  logger: Logger;
  /** Extra env for the payment process (provider settings). */
  paymentEnv?: Record<string, string>;
  /** Extra env for the ledger process (statement-import provider settings). */
  ledgerEnv?: Record<string, string>;
  /** Extra env for the reward process. */
  rewardEnv?: Record<string, string>;
  /** The web service's env (see web.ts webEnv); it has no database. */
  webEnv?: Record<string, string>;
}

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Each service as its own OS process on real Kafka and PostgreSQL, exactly as deployed. */
export function startProcesses(options: RealOptions): ServiceProcess[] {
  const base = options.basePort ?? 3001;
  const specs = [
    {
      name: 'payment' as const,
      port: base,
      db: options.databaseUrls.payment,
      env: options.paymentEnv ?? {},
    },
    {
      name: 'pledge-ledger' as const,
      port: base + 1,
      db: options.databaseUrls.ledger,
      env: options.ledgerEnv ?? {},
    },
    {
      name: 'reward' as const,
      port: base + 2,
      db: options.databaseUrls.reward,
      env: options.rewardEnv ?? {},
    },
    ...(options.webEnv
      ? [{ name: 'web' as const, port: base + 3, db: '', env: options.webEnv }]
      : []),
  ];
  return specs.map((spec) => {
    const files = FILES[spec.name];
    const child = spawn(process.execPath, ['--import', 'tsx', files.main], {
      cwd: files.dir,
      env: {
        ...process.env,
        ...spec.env,
        PORT: String(spec.port),
        DATABASE_URL: spec.db,
        KAFKA_BROKERS: options.kafkaBrokers,
        API_KEYS: options.apiKeys,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) =>
      options.logger.warn({ service: spec.name, code, signal }, 'service process exited'),
    );
    return { name: spec.name, url: `http://127.0.0.1:${spec.port}`, child };
  });
}

/** Resolves once every service answers GET /readyz with 200 (or rejects when one exits first). */
export async function waitUntilReady(processes: ServiceProcess[]): Promise<void> {
  await Promise.all(
    processes.map(async (p) => {
      for (;;) {
        if (p.child.exitCode !== null || p.child.signalCode !== null)
          throw new Error(`${p.name} exited before it was ready`);
        const ok = await fetch(`${p.url}/readyz`).then(
          (res) => res.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    }),
  );
}

export async function stopProcesses(processes: ServiceProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      (p) =>
        new Promise<void>((done) => {
          if (p.child.exitCode !== null || p.child.signalCode !== null) return done();
          p.child.once('exit', () => done());
          p.child.kill('SIGTERM');
        }),
    ),
  );
}

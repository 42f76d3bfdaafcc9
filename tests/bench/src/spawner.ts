// The ONE file that imports the e2e suite and the process spawner (@bfi/suite). The bench runs
// them on the machine's PostgreSQL and Kafka that infra/with-infra.mjs started (PG_ADMIN_URL, KAFKA_BROKERS), not on private ones: fsync is on
// there, as in the goals, and the bench never stops or restarts either server.
import {
  PrivateKafka,
  PrivatePostgres,
  STRIPE_WEBHOOK_SECRET,
  Suite,
  expectStatus,
  freePort,
  freePortRange,
  type Infra,
} from '@bfi/e2e';
import { ServiceProcess, type ServiceName } from '@bfi/suite';

export { ServiceProcess, STRIPE_WEBHOOK_SECRET, Suite, expectStatus, freePort, freePortRange };
export type { ServiceName };

/** The shared server, reached through PG_ADMIN_URL: databases are created on it, never the server. */
class SharedPostgres extends PrivatePostgres {
  constructor(private readonly admin_: URL) {
    super({ binDir: '', dataDir: '', port: Number(admin_.port || 5432) });
  }
  override urlOf(database: string): string {
    const url = new URL(this.admin_.href);
    url.pathname = `/${database}`;
    return url.href;
  }
  override get adminUrl(): string {
    return this.admin_.href;
  }
  override start(): Promise<void> {
    return Promise.reject(new Error('bench: the shared PostgreSQL is never started here'));
  }
  override stop(): Promise<void> {
    return Promise.reject(new Error('bench: the shared PostgreSQL is never stopped here'));
  }
  override isRunning(): boolean {
    return true;
  }
  override destroy(): void {
    throw new Error('bench: the shared PostgreSQL is never destroyed here');
  }
}

/** The broker with-infra started (KAFKA_BROKERS, one host:port). */
class SharedKafka extends PrivateKafka {
  override start(): Promise<void> {
    return Promise.reject(new Error('bench: the shared Kafka broker is never started here'));
  }
  override stop(): Promise<void> {
    return Promise.reject(new Error('bench: the shared Kafka broker is never stopped here'));
  }
  override kill(): Promise<void> {
    return Promise.reject(new Error('bench: the shared Kafka broker is never killed here'));
  }
}

export function sharedInfra(env: NodeJS.ProcessEnv = process.env): Infra {
  const admin = env.PG_ADMIN_URL;
  const brokers = env.KAFKA_BROKERS;
  if (!admin || !brokers) {
    throw new Error(
      'bench: PG_ADMIN_URL and KAFKA_BROKERS are not set — run it as `npm run bench` (through infra/with-infra.mjs)',
    );
  }
  const first = brokers.split(',')[0]!;
  if (!first.startsWith('127.0.0.1:')) {
    throw new Error(`bench: expected a broker on 127.0.0.1, got KAFKA_BROKERS=${brokers}`);
  }
  return {
    pg: new SharedPostgres(new URL(admin)),
    kafka: new SharedKafka(Number(first.split(':')[1])),
  };
}

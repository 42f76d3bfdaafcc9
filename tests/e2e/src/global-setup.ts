// Jest globalSetup: one private PostgreSQL cluster and one private Kafka broker for the whole
// e2e run (see kafka.ts for why not the shared broker). Test files run one after another
// (maxWorkers 1), each scenario with its own databases and topic namespace on them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { INFRA_ENV, type InfraInfo } from './infra';
import { PrivateKafka } from './kafka';
import { freePort, freePortRange } from './ports';
import { REPO_ROOT } from './paths';
import { PrivatePostgres } from './postgres';

declare global {
  var bfiE2eInfra: { pg: PrivatePostgres; kafka: PrivateKafka } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const pg = PrivatePostgres.create(await freePort());
  const kafka = new PrivateKafka(await freePortRange(2));
  globalThis.bfiE2eInfra = { pg, kafka };
  cleanUpOnSignal(pg, kafka);
  await Promise.all([kafka.start(), pg.start()]);
  const info: InfraInfo = { pg: pg.info, kafkaPort: kafka.port };
  process.env[INFRA_ENV] = JSON.stringify(info);
  process.stderr.write(
    `\ne2e: private PostgreSQL on :${pg.port} and Kafka on ${kafka.brokers} up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

/**
 * Ctrl-C or a CI timeout skips globalTeardown: stop the broker and the cluster anyway (the
 * service processes notice by themselves, see parent-watch.mjs).
 */
function cleanUpOnSignal(pg: PrivatePostgres, kafka: PrivateKafka): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\ne2e: ${signal}: stopping the private Kafka and PostgreSQL\n`);
      spawnSync(process.execPath, [
        path.join(REPO_ROOT, 'infra', 'kafka', 'kafka.mjs'),
        'kill',
        '--port',
        String(kafka.port),
      ]);
      try {
        pg.destroy();
      } catch {
        // best effort
      }
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

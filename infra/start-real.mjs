// @ts-check
// `npm run start:real`: run through infra/with-infra.mjs (Kafka and PostgreSQL up), creates one
// database per service and starts the suite with each service as its own process.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from './postgres/postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// REAL_DB_PREFIX: another set of databases (a second local run, the launcher's tests).
const prefix = process.env.REAL_DB_PREFIX ?? 'bfi';
const urls = {
  PAYMENT_DATABASE_URL: await createDatabase(`${prefix}_payment`),
  LEDGER_DATABASE_URL: await createDatabase(`${prefix}_pledge_ledger`),
  REWARD_DATABASE_URL: await createDatabase(`${prefix}_reward`),
};
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'services/suite/src/start.ts')],
  {
    cwd: root,
    env: { ...process.env, ...urls },
    stdio: 'inherit',
  },
);
// One signal to this process (from with-infra, or to the npm process) stops the suite.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 0));

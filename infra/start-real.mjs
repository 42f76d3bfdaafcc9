// @ts-check
// `npm run start:real`: run through infra/with-infra.mjs (Kafka and PostgreSQL up), creates one
// database per service and starts the suite with each service as its own process.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from './postgres/postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const urls = {
  PAYMENT_DATABASE_URL: await createDatabase('bfi_payment'),
  LEDGER_DATABASE_URL: await createDatabase('bfi_pledge_ledger'),
  REWARD_DATABASE_URL: await createDatabase('bfi_reward'),
};
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'packages/launcher/src/start.ts')],
  {
    cwd: root,
    env: { ...process.env, ...urls },
    stdio: 'inherit',
  },
);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code) => process.exit(code ?? 0));

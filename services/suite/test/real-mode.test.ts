import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '@bfi/db';
import { eventually } from '@bfi/testing';
import {
  alive,
  descendants,
  freePortRange,
  killGroup,
  portFree,
  ready,
  spawnNpm,
  type SuiteProcess,
} from './suite-process';

// `npm run start:real`: with-infra → start-real → launcher → one process per service on the real
// Kafka and PostgreSQL. One SIGTERM to the npm process must stop all of them.
const dataDir = mkdtempSync(join(tmpdir(), 'bfi-real-'));
const prefix = `bfi_t${randomBytes(4).toString('hex')}`;
let suite: SuiteProcess | undefined;

afterAll(async () => {
  if (suite) killGroup(suite);
  rmSync(dataDir, { recursive: true, force: true });
  for (const db of ['payment', 'pledge_ledger', 'reward']) await dropDatabase(`${prefix}_${db}`);
});

test('one SIGTERM to the npm run start:real process stops every service process and frees every port', async () => {
  // payment, pledge-ledger, reward, web and the demo OpenID provider: PORT … PORT+4.
  const http = await freePortRange(5);
  const fakes = await freePortRange(4);
  suite = spawnNpm(['run', 'start:real'], {
    PORT: String(http),
    FAKE_STRIPE_PORT: String(fakes),
    FAKE_PAYPAL_PORT: String(fakes + 1),
    FAKE_SMTP_PORT: String(fakes + 2),
    MAIL_INBOX_PORT: String(fakes + 3),
    DATA_DIR: dataDir,
    REAL_DB_PREFIX: prefix,
  });
  await ready(suite);
  for (const port of [http, http + 1, http + 2])
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

  const pids = descendants(suite.child.pid!);
  expect(pids.length).toBeGreaterThanOrEqual(5); // with-infra, start-real, launcher, 3 services
  suite.child.kill('SIGTERM'); // the npm process only, not its process group
  await suite.exited;
  await eventually(async () => {
    expect(pids.filter(alive)).toEqual([]);
    const httpPorts = [http, http + 1, http + 2, http + 3, http + 4];
    for (const port of [...httpPorts, fakes, fakes + 1, fakes + 2, fakes + 3])
      expect(await portFree(port)).toBe(true);
  }, 15000);
}, 300000);

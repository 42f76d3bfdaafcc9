import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const SVC = path.join(FIXTURES, 'svc');
export const SVC_DRIFT = path.join(FIXTURES, 'svc-drift');
export const SVC_MIGRATIONS = path.join(SVC, 'src', 'db', 'migrations');

/** A scratch copy of a fixture service (tests that write files must not touch the committed one). */
export function copyFixture(fixtureDir: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bfi-db-'));
  cpSync(fixtureDir, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

import { readFileSync, rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const file = process.env.WEB_SUITE_FILE;
  if (!file) return;
  const suite = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; dataDir: string };
  // The launcher runs in its own process group: stop it and nothing else.
  try {
    process.kill(-suite.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-suite.pid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(-suite.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  rmSync(suite.dataDir, { recursive: true, force: true });
}

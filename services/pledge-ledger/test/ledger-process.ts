import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { apiKeys, serviceDir } from './helpers';

/** A free TCP port on 127.0.0.1 (the service takes its port from PORT, as deployed). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface LedgerProcess {
  url: string;
  /** Everything the process logged so far. */
  log(): string;
  /** Exit code, or null while it runs. */
  exitCode(): number | null;
  stop(): Promise<void>;
}

/**
 * pledge-ledger as its own OS process, started as deployed (tsx on src/main.ts, configured by
 * the environment; in-process transport): a test can see whether a request stops it.
 */
export async function startLedgerProcess(databaseUrl: string): Promise<LedgerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    API_KEYS: JSON.stringify(apiKeys),
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
  };
  delete env.KAFKA_BROKERS;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(serviceDir, 'src', 'main.ts')],
    { cwd: serviceDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('pledge-ledger listening')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`pledge-ledger did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => output,
    exitCode: () => child.exitCode,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

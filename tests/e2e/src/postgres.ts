// A private PostgreSQL cluster for the end-to-end tests: initdb + pg_ctl in a temp folder on a
// free port, trust auth. The fault tests stop and restart it; using the machine's shared server
// for that would break every other test run on it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export class PostgresHarnessError extends Error {
  override readonly name = 'PostgresHarnessError';
}

export interface PrivatePostgresInfo {
  binDir: string;
  dataDir: string;
  port: number;
}

/** The newest /usr/lib/postgresql/<v>/bin that has initdb and pg_ctl (or env PG_BIN_DIR). */
export function findPostgresBinDir(): string {
  const candidates = process.env.PG_BIN_DIR
    ? [process.env.PG_BIN_DIR]
    : listVersions('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`);
  const found = candidates.find(
    (dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')),
  );
  if (!found) {
    throw new PostgresHarnessError(
      'e2e: the fault tests run their own PostgreSQL and need its server binaries (initdb, pg_ctl), ' +
        'looked for in /usr/lib/postgresql/*/bin. Install them (Debian: apt-get install -y postgresql) ' +
        'or set PG_BIN_DIR to the folder holding initdb and pg_ctl.',
    );
  }
  return found;
}

function listVersions(root: string): string[] {
  try {
    return fs
      .readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` OS user. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  if (!spawnSync('runuser', ['--help'], { stdio: 'ignore' }).error) {
    return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
  }
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return ['su', ['postgres', '-s', '/bin/sh', '-c', quoted]];
}

function run(binDir: string, tool: string, args: string[]): string {
  const [cmd, argv] = asServerUser(path.join(binDir, tool), args);
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new PostgresHarnessError(
      `e2e: ${tool} ${args.join(' ')} failed: ${res.error?.message ?? `${res.stdout}\n${res.stderr}`.trim()}`,
    );
  }
  return res.stdout;
}

/** Like run(), without blocking the event loop (the fakes in this process keep serving). */
function runAsync(binDir: string, tool: string, args: string[]): Promise<void> {
  const [cmd, argv] = asServerUser(path.join(binDir, tool), args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new PostgresHarnessError(
              `e2e: ${tool} ${args.join(' ')} failed (${code}): ${out.trim()}`,
            ),
          ),
    );
  });
}

function serverUserIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export class PrivatePostgres {
  /** How often the server was (re)started, for the scenario summaries. */
  starts = 0;

  constructor(readonly info: PrivatePostgresInfo) {}

  get port(): number {
    return this.info.port;
  }

  get adminUrl(): string {
    return this.urlOf('postgres');
  }

  urlOf(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.info.port}/${database}`;
  }

  /** initdb into a new temp folder (owned by the postgres user when we are root). */
  static create(port: number): PrivatePostgres {
    const binDir = findPostgresBinDir();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-e2e-pg-'));
    const ids = serverUserIds();
    if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
    // --no-sync: a throw-away cluster; fsync is off at run time too (see start()).
    run(binDir, 'initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    return new PrivatePostgres({ binDir, dataDir, port });
  }

  async start(): Promise<void> {
    const { dataDir, port } = this.info;
    const options = [
      `-p ${port}`,
      `-k ${dataDir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=300',
      // Durability against OS crashes is not what these tests are about: keep them fast. A
      // server crash (immediate stop) still loses nothing: commits reach the OS before they
      // return. Never synchronous_commit=off here — a crash then loses acknowledged commits.
      '-c fsync=off',
    ].join(' ');
    await runAsync(this.info.binDir, 'pg_ctl', [
      '-D',
      dataDir,
      '-l',
      path.join(dataDir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
    this.starts += 1;
  }

  /** `immediate` is a crash (no checkpoint, every connection cut); `fast` a clean shutdown. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await runAsync(this.info.binDir, 'pg_ctl', [
      '-D',
      this.info.dataDir,
      '-m',
      mode,
      '-w',
      '-t',
      '60',
      'stop',
    ]);
  }

  isRunning(): boolean {
    const [cmd, argv] = asServerUser(path.join(this.info.binDir, 'pg_ctl'), [
      '-D',
      this.info.dataDir,
      'status',
    ]);
    return spawnSync(cmd, argv, { stdio: 'ignore' }).status === 0;
  }

  /** Stops the server if it runs and removes its folder. */
  destroy(): void {
    if (this.isRunning())
      run(this.info.binDir, 'pg_ctl', ['-D', this.info.dataDir, '-m', 'immediate', '-w', 'stop']);
    fs.rmSync(this.info.dataDir, { recursive: true, force: true });
  }

  async createDatabase(name: string): Promise<string> {
    await this.admin((c) => c.query(`CREATE DATABASE "${name}"`));
    return this.urlOf(name);
  }

  async admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    return withClient(this.adminUrl, fn);
  }

  logTail(lines = 30): string {
    try {
      return fs
        .readFileSync(path.join(this.info.dataDir, 'server.log'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no server log)';
    }
  }
}

export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

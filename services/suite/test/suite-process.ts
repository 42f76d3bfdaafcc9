import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

// `npm start` as a newcomer runs it, as a child process of the test with its own ports and data
// folder; helpers to see which processes it started and whether its ports are free again.

export const ROOT = resolve(__dirname, '..', '..', '..');
export const READY_LINE = 'donation suite is running';

/** True when nothing listens on 127.0.0.1:port (we can bind it ourselves). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** The first of `count` consecutive free ports, from a random start (parallel runs differ). */
export async function freePortRange(count: number): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
}

/**
 * Every port an embedded suite listens on, chosen free: HTTP (3 APIs, web, OpenID provider), PGlite, fakes
 * (Stripe, PayPal, the SMTP catcher and its inbox page).
 */
export async function suitePorts(): Promise<{ env: Record<string, string>; all: number[] }> {
  // payment, pledge-ledger, reward, web and the demo OpenID provider: PORT … PORT+4.
  const http = await freePortRange(5);
  const pg = await freePortRange(3);
  const fakes = await freePortRange(4);
  return {
    env: {
      PORT: String(http),
      EMBEDDED_PG_PORT: String(pg),
      FAKE_STRIPE_PORT: String(fakes),
      FAKE_PAYPAL_PORT: String(fakes + 1),
      FAKE_SMTP_PORT: String(fakes + 2),
      MAIL_INBOX_PORT: String(fakes + 3),
    },
    all: [
      http,
      http + 1,
      http + 2,
      http + 3,
      http + 4,
      pg,
      pg + 1,
      pg + 2,
      ...[0, 1, 2, 3].map((i) => fakes + i),
    ],
  };
}

export interface SuiteProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Spawns `npm <args>` in the repository root, as a user would type it. In its own process
 * group only so that killGroup can clean up after a failed test; the tests signal its pid alone.
 */
export function spawnNpm(args: string[], env: Record<string, string>): SuiteProcess {
  // A newcomer's shell has no npm_* variables; the ones of an outer `npm test` would leak in.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
  );
  const child = spawn('npm', args, {
    cwd: ROOT,
    env: { ...clean, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => out, exited };
}

/** Waits for the banner; rejects with the output when the process exits first. */
export async function ready(suite: SuiteProcess): Promise<void> {
  for (;;) {
    if (suite.output().includes(READY_LINE)) return;
    if (suite.child.exitCode !== null || suite.child.signalCode !== null)
      throw new Error(`exited with ${suite.child.exitCode} before ready:\n${suite.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Live (not zombie) descendants of a process, from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (!stat || stat.state === 'Z') continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== null && stat.state !== 'Z';
}

function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(join('/proc', String(pid), 'stat'), 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Last resort in afterAll: a test that failed half-way must not leave a suite running. */
export function killGroup(suite: SuiteProcess): void {
  try {
    process.kill(-suite.child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

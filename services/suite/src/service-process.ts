// One service as its own OS process, started exactly as deployed: node + tsx on its main (the
// path its package exports), configured only through the environment. The e2e tests' spawner.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { paymentFiles } from '@bfi/payment';
import { pledgeLedgerFiles } from '@bfi/pledge-ledger';
import { rewardFiles } from '@bfi/reward';

export type ServiceName = 'payment' | 'pledge-ledger' | 'reward';

/** Each service's folder and process entry, as its package exports them. */
export const SERVICE_FILES: Record<ServiceName, { dir: string; main: string }> = {
  payment: paymentFiles,
  'pledge-ledger': pledgeLedgerFiles,
  reward: rewardFiles,
};

const READY_TIMEOUT_MS = 90_000;

export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  /** Processes started (first start included) and kills sent, for the scenario summaries. */
  starts = 0;
  kills = 0;

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  private readyPromise: Promise<void> = Promise.resolve();

  /** Resolves once the last started process answered GET /readyz with 200. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * Spawns the process and (unless wait is false) waits until GET /readyz answers 200 — the
   * database and broker reachable, a consumer's group joined.
   */
  async start(options: { wait?: boolean } = {}): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const log = fs.openSync(this.logFile, 'a');
    fs.writeSync(log, `\n----- start ${this.starts + 1} at ${new Date().toISOString()} -----\n`);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        pathToFileURL(path.join(__dirname, 'parent-watch.mjs')).href,
        SERVICE_FILES[this.name].main,
      ],
      {
        cwd: SERVICE_FILES[this.name].dir,
        env: { ...process.env, ...this.env, PORT: String(this.port) },
        stdio: ['ignore', log, log],
      },
    );
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.starts += 1;
    this.readyPromise = this.waitReady(child);
    this.readyPromise.catch(() => undefined); // observed by whoever awaits ready()
    if (options.wait !== false) await this.readyPromise;
  }

  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${this.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${this.logTail()}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    throw new Error(
      `${this.name} was not ready after ${READY_TIMEOUT_MS / 1000}s:\n${this.logTail()}`,
    );
  }

  /** Sends the signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.child || !this.running) return;
    this.kills += 1;
    this.child.kill(signal);
    await this.exited;
  }

  /**
   * Freezes the process (SIGSTOP): it holds its connections but consumes nothing, so events
   * queue up for it. Always follow with resume() — a frozen consumer is dropped from its group
   * once the broker's session timeout passes.
   */
  pause(): void {
    if (this.running) this.child!.kill('SIGSTOP');
  }

  /** Lets a paused process run again (SIGCONT). */
  resume(): void {
    if (this.running) this.child!.kill('SIGCONT');
  }

  /** Graceful stop (SIGTERM), SIGKILL if it has not exited after 20 s. */
  async stop(): Promise<void> {
    if (!this.child || !this.running) return;
    const child = this.child;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(signal);
    await this.start();
  }

  logTail(lines = 40): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

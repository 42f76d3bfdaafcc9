// A private Kafka broker for the end-to-end tests, through the repo's own infra script
// (infra/kafka/kafka.mjs). Run as a child process: the script is an ES module and the tests
// are compiled to CommonJS.
//
// Why private and not the shared broker: the broker-restart scenario kills and restarts it,
// which must not disturb other test runs; and SIGKILLed consumers of ours must not stall
// rebalances anywhere else. (When this harness was written the services' consumer group ids did
// not include TOPIC_NAMESPACE, so runs sharing a broker also shared groups, and kafkajs' round-robin
// assigner only assigns the leader's topics — tulios/kafkajs#1679.)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths';

const SCRIPT = path.join(REPO_ROOT, 'infra', 'kafka', 'kafka.mjs');

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`kafka.mjs ${args.join(' ')} exited with ${code}:\n${err}${out}`)),
    );
  });
}

export class PrivateKafka {
  starts = 0;

  constructor(readonly port: number) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Fresh data the first time; keepData brings the same broker (same logs, offsets) back. */
  async start(keepData = false): Promise<void> {
    await cli(['start', '--port', String(this.port), ...(keepData ? ['--keep-data'] : [])]);
    this.starts += 1;
  }

  /** Fault injection: SIGKILL, like a crashed broker host. */
  async kill(): Promise<void> {
    await cli(['kill', '--port', String(this.port)]);
  }

  /** Graceful stop (SIGTERM; SIGKILL after 15 s). */
  async stop(): Promise<void> {
    await cli(['stop', '--port', String(this.port)]);
  }
}

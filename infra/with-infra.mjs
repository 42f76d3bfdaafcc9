#!/usr/bin/env node
// @ts-check
// Runs a command with the real infrastructure the tests need: PostgreSQL and a Kafka broker.
//
//   node infra/with-infra.mjs -- <command...>   ensure Postgres + Kafka, run the command with
//                                               KAFKA_BROKERS and PG_ADMIN_URL set, then stop the
//                                               broker if this run started it and nothing else
//                                               uses it; exits with the command's exit code
//   node infra/with-infra.mjs --up              start both and leave them running (prints exports)
//   node infra/with-infra.mjs --down            stop the broker these scripts started
//
// The command is spawned without a shell; node_modules/.bin is put first on PATH (as npx does).

import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaInfraError, startKafka, stopKafka } from './kafka/kafka.mjs';
import { PostgresInfraError, ensurePostgres } from './postgres/postgres.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** @type {NodeJS.Signals[]} */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** @type {(sig: NodeJS.Signals) => void} */
const noop = () => {};
/** @param {string} line */
const log = (line) => process.stderr.write(`with-infra: ${line}\n`);

/** @typedef {{ pgAdminUrl: string, brokers: string, startedByUs: boolean }} Infra */

/**
 * @param {{ keep?: boolean }} [options] keep: leave the broker running for later runs
 * @returns {Promise<Infra>}
 */
async function ensureInfra({ keep = false } = {}) {
  const pgAdminUrl = await ensurePostgres();
  const { brokers, startedByUs } = await startKafka({ keep });
  return { pgAdminUrl, brokers, startedByUs };
}

/** @param {Infra} infra @returns {NodeJS.ProcessEnv} */
function childEnv({ pgAdminUrl, brokers }) {
  const bins = [
    path.join(process.cwd(), 'node_modules', '.bin'),
    path.join(REPO_ROOT, 'node_modules', '.bin'),
  ];
  return {
    ...process.env,
    PATH: [...new Set(bins), process.env.PATH ?? ''].join(path.delimiter),
    KAFKA_BROKERS: brokers,
    PG_ADMIN_URL: pgAdminUrl,
    // kafkajs 2.x warns on every producer about a partitioner change made in 2022.
    KAFKAJS_NO_PARTITIONER_WARNING: process.env.KAFKAJS_NO_PARTITIONER_WARNING ?? '1',
  };
}

/**
 * Runs the command; resolves with the exit code to pass on (128+n when it died of signal n).
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @param {(forward: (sig: NodeJS.Signals) => void) => void} onSignal receives how to pass a signal on
 * @returns {Promise<number>}
 */
function runChild(argv, env, onSignal) {
  return new Promise((resolve) => {
    const [cmd = '', ...args] = argv;
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    onSignal((sig) => child.kill(sig));
    child.once('error', (/** @type {NodeJS.ErrnoException} */ err) => {
      log(
        err.code === 'ENOENT' ? `command not found: ${cmd}` : `cannot run ${cmd}: ${err.message}`,
      );
      resolve(127);
    });
    child.once('exit', (code, sig) => resolve(code ?? 128 + (sig ? os.constants.signals[sig] : 1)));
  });
}

/** @param {string[]} argv the command @returns {Promise<number>} its exit code */
async function run(argv) {
  let forward = noop;
  /** @type {NodeJS.Signals | null} */
  let interrupted = null;
  // A signal before the command runs cancels it; once it runs, the signal is passed on to it.
  // Either way the broker is stopped afterwards (it lives in its own process group).
  for (const sig of SIGNALS) {
    process.on(sig, () => {
      if (!interrupted)
        log(`${sig}: ${forward === noop ? 'cancelling' : 'passing it on to the command'}`);
      interrupted ??= sig;
      forward(sig);
    });
  }
  const infra = await ensureInfra();
  const code = interrupted
    ? 128 + os.constants.signals[interrupted]
    : await runChild(argv, childEnv(infra), (fn) => (forward = fn));
  // Releases our use of the broker: it stops only if we started it (or inherited it from a run
  // that died) and no other running process, nor `--up`, still uses it.
  try {
    await stopKafka();
  } catch (err) {
    log(`stopping Kafka failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return code;
}

async function up() {
  const infra = await ensureInfra({ keep: true });
  console.log(`export KAFKA_BROKERS=${infra.brokers}`);
  console.log(`export PG_ADMIN_URL=${infra.pgAdminUrl}`);
  log('left running; stop the broker with `npm run infra:down`');
  return 0;
}

async function down() {
  if (!(await stopKafka({ force: true })))
    log('no Kafka broker started by these scripts is running');
  return 0;
}

const USAGE = 'usage: node infra/with-infra.mjs -- <command...> | --up | --down';

/** @param {string[]} args @returns {Promise<number>} the exit code */
async function main(args) {
  if (args[0] === '--up') return up();
  if (args[0] === '--down') return down();
  const argv = args[0] === '--' ? args.slice(1) : args;
  if (argv.length === 0 || argv[0]?.startsWith('--')) {
    console.error(USAGE);
    return 2;
  }
  return run(argv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    const expected = err instanceof KafkaInfraError || err instanceof PostgresInfraError;
    console.error(expected ? err.message : err);
    process.exit(1);
  },
);

#!/usr/bin/env node
// @ts-check
// Local single-node Apache Kafka (KRaft, combined broker+controller) for tests and `npm start`.
//
// No Kafka broker exists in npm or Debian, so the broker jars come from Maven Central (see pom.xml)
// and the JVM is started exactly as Kafka's bin/ scripts would. The jars are cached outside the repo
// (${XDG_CACHE_HOME:-~/.cache}/bfi-kafka/<version>/libs) so every clone on a machine shares one download.
//
// CLI:    node infra/kafka/kafka.mjs start|stop|status|restart|kill|fetch [--port N] [--keep-data] [--set key=value]...
// Module: startKafka({ port, keepData, keep, config }) -> { brokers, startedByUs }, stopKafka({ port, force }),
//         killKafka(signal, { port }), kafkaStatus({ port }), isKafkaUp(port), ensureKafkaJars()
// Port: option, else env KAFKA_PORT, else 9092; the KRaft controller listens on port+1.
// State: <cache>/run/<port>/ holds server.properties, data/, broker.log, broker.pid and leases/.
//
// Only Node built-ins and kafkajs (imported lazily, so `status`/`stop` work before `npm ci`).
// The parts live in lib/: common (version, port, paths), jars (Maven fetch), server-config
// (server.properties, storage format), processes (probes, pids, signals), sharing (lock, leases)
// and broker (start, stop, kill, status). This file is the module API and the CLI.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killKafka, kafkaStatus, startKafka, stopKafka } from './lib/broker.mjs';
import { DEFAULT_PORT, KAFKA_VERSION, KafkaInfraError, libsDir, log } from './lib/common.mjs';
import { ensureKafkaJars } from './lib/jars.mjs';

export { KAFKA_VERSION, KafkaInfraError } from './lib/common.mjs';
export { ensureKafkaJars } from './lib/jars.mjs';
export { isKafkaUp } from './lib/processes.mjs';
export { killKafka, kafkaStatus, startKafka, stopKafka } from './lib/broker.mjs';

/** @typedef {{ port?: string, keepData?: boolean, config?: Record<string, string> }} CliOptions */

/**
 * @param {string[]} args
 * @returns {CliOptions}
 */
function parseCliOptions(args) {
  /** @type {CliOptions} */
  const options = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') options.port = args[++i];
    else if (args[i] === '--keep-data') options.keepData = true;
    else if (args[i] === '--set') {
      const [key, ...value] = String(args[++i] ?? '').split('=');
      if (!key || value.length === 0) throw new KafkaInfraError('kafka: --set needs key=value');
      options.config = { ...options.config, [key]: value.join('=') };
    } else throw new KafkaInfraError(`kafka: unknown option ${args[i]}`);
  }
  return options;
}

const USAGE = `usage: node infra/kafka/kafka.mjs <command> [--port N] [--keep-data] [--set key=value]...
  start    start a broker (or reuse the one answering on the port) and leave it running;
           prints KAFKA_BROKERS=...
  stop     stop the broker these scripts started on the port, even if other processes use it
  status   show whether a broker answers; exit 0 if up, 3 if not
  restart  stop, then start again on the same data (--keep-data implied)
  kill     SIGKILL the broker these scripts started (fault injection)
  fetch    only download the broker jars into the cache
Port: --port, else env KAFKA_PORT, else ${DEFAULT_PORT}; controller on port+1.
--set adds or overrides a server.properties key of a broker that start/restart starts.`;

/** @type {Record<string, (options: CliOptions) => Promise<number>>} */
const COMMANDS = {
  async start(options) {
    const { brokers } = await startKafka({ ...options, keep: true });
    console.log(`KAFKA_BROKERS=${brokers}`);
    return 0;
  },
  async stop(options) {
    if (!(await stopKafka({ ...options, force: true })))
      log('kafka: no broker started by these scripts is running');
    return 0;
  },
  async restart(options) {
    await stopKafka({ ...options, force: true });
    await startKafka({ ...options, keepData: true, keep: true });
    return 0;
  },
  async kill(options) {
    const killed = await killKafka('SIGKILL', options);
    log(killed ? 'kafka: broker killed' : 'kafka: no broker of ours to kill');
    return 0;
  },
  async fetch() {
    ensureKafkaJars();
    log(`kafka: ${KAFKA_VERSION} jars in ${libsDir()}`);
    return 0;
  },
  async status(options) {
    const s = await kafkaStatus(options);
    const owner = s.pid
      ? `started by these scripts, pid ${s.pid}; users: ${s.users.join(', ') || 'none'}`
      : s.otherVersion
        ? `Kafka ${s.otherVersion} started by these scripts, not ${s.version}`
        : 'not started by these scripts';
    console.log(s.up ? `kafka: up on ${s.brokers} (${owner})` : `kafka: down on ${s.brokers}`);
    return s.up ? 0 : 3;
  },
};

/**
 * @param {string[]} argv the arguments after the script
 * @returns {Promise<number>} the exit code
 */
async function cli([command, ...rest]) {
  const options = parseCliOptions(rest);
  const run = command && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run) return run(options);
  console.error(USAGE);
  return command ? 2 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof KafkaInfraError ? err.message : err);
      process.exit(1);
    },
  );
}

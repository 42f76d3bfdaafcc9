// @ts-check
// Starting, stopping and inspecting the broker: the public module API of ../kafka.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  HOST,
  KAFKA_VERSION,
  KafkaInfraError,
  LOG_CONFIG,
  classpath,
  javaBin,
  log,
  resolvePort,
  runPaths,
  seconds,
  sleep,
} from './common.mjs';
import { ensureKafkaJars } from './jars.mjs';
import {
  STOP_GRACE_MS,
  isKafkaUp,
  isPortOpen,
  otherVersionBroker,
  readOwnPid,
  signal,
  stopPid,
  waitForExit,
} from './processes.mjs';
import { formatStorage, serverProperties } from './server-config.mjs';
import { addLease, otherLiveLeases, ownLease, withLock } from './sharing.mjs';

/** @typedef {import('./common.mjs').RunPaths} RunPaths */

const READY_TIMEOUT_MS = 60_000;

/** @param {RunPaths} paths */
function logTail(paths, lines = 40) {
  try {
    return fs.readFileSync(paths.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no broker log)';
  }
}

/**
 * @param {RunPaths} paths
 * @param {boolean} keepData append to the broker log instead of starting a new one
 */
function spawnBroker(paths, keepData) {
  const out = fs.openSync(paths.log, keepData ? 'a' : 'w');
  const child = spawn(
    javaBin(),
    [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      LOG_CONFIG,
      '-cp',
      classpath(),
      'kafka.Kafka',
      paths.config,
    ],
    // Own process group: a Ctrl-C meant for the test run must not hit the broker half-way.
    { detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  child.unref();
  fs.writeFileSync(paths.pid, `${child.pid}\n`);
  return child;
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} port
 * @param {RunPaths} paths
 * @param {number} started Date.now() when the start began
 */
async function waitUntilReady(child, port, paths, started) {
  /** @type {string | null} */
  let exited = null;
  child.once('exit', (code, sig) => (exited = sig ?? `exit code ${code}`));
  const deadline = started + READY_TIMEOUT_MS;
  let lastNote = Date.now();
  while (Date.now() < deadline) {
    if (exited) break;
    if (await isKafkaUp(port)) return;
    if (Date.now() - lastNote >= 5000) {
      log(`kafka: still starting (${seconds(started)}s) ...`);
      lastNote = Date.now();
    }
    await sleep(250);
  }
  const why = exited
    ? `the broker exited (${exited})`
    : `it was not ready after ${READY_TIMEOUT_MS / 1000}s`;
  if (!exited && child.pid) await stopPid(child.pid);
  fs.rmSync(paths.pid, { force: true });
  throw new KafkaInfraError(
    `kafka: start failed: ${why}. Tail of ${paths.log}:\n${logTail(paths)}`,
  );
}

/** @type {number | null} the port startKafka last ensured, the default for stopKafka */
let startedPort = null;

/**
 * Ensures a Kafka broker on 127.0.0.1:<port> (option, else env KAFKA_PORT, else 9092; controller on port+1).
 * Reuses a broker that already answers there. Otherwise starts one on a fresh data dir
 * (or on the previous one with keepData: true, for restart tests).
 *
 * Several processes on one machine may share the broker (parallel test runs): starts and stops are
 * serialised by a per-port lock file, and each process that gets a broker of ours takes a lease
 * (released by stopKafka, or dropped when the process dies). `keep: true` takes a lease that only a
 * forced stop ends (used by the CLI `start` and `with-infra --up`).
 * `config` adds or overrides server.properties keys (tests of broker-side settings; give such a
 * broker its own port, since a broker already answering on the port is reused as it is).
 * @param {{ port?: number | string, keepData?: boolean, keep?: boolean, config?: Record<string, string> }} [options]
 * @returns {Promise<{ brokers: string, startedByUs: boolean }>}
 */
export async function startKafka({ port, keepData = false, keep = false, config = {} } = {}) {
  const p = resolvePort(port);
  const paths = runPaths(p);
  const result = await withLock(p, async () => {
    const started = await startLocked(p, paths, keepData, config);
    if (readOwnPid(paths)) addLease(paths, keep);
    return started;
  });
  startedPort = p;
  return result;
}

/**
 * @param {number} p
 * @param {RunPaths} paths
 * @param {boolean} keepData
 * @param {Record<string, string>} config
 */
async function startLocked(p, paths, keepData, config) {
  const brokers = `${HOST}:${p}`;
  if (await isKafkaUp(p)) {
    const other = otherVersionBroker(p);
    log(
      other
        ? `kafka: reusing the Kafka ${other.version} broker already running on ${brokers}, not ${KAFKA_VERSION}; ` +
            `\`node infra/kafka/kafka.mjs stop --port ${p}\` stops it so that the next start runs ${KAFKA_VERSION}`
        : `kafka: reusing the broker already running on ${brokers}`,
    );
    return { brokers, startedByUs: false };
  }
  await clearTheWay(p, paths);

  ensureKafkaJars();
  const started = Date.now();
  if (!keepData) fs.rmSync(paths.dir, { recursive: true, force: true });
  fs.mkdirSync(paths.data, { recursive: true });
  fs.writeFileSync(paths.config, serverProperties(p, paths, config));
  if (!fs.existsSync(path.join(paths.data, 'meta.properties'))) formatStorage(paths);

  log(
    `kafka: starting broker ${KAFKA_VERSION} on ${brokers} (${keepData ? 'kept' : 'fresh'} data in ${paths.data})`,
  );
  const child = spawnBroker(paths, keepData);
  await waitUntilReady(child, p, paths, started);
  log(`kafka: broker ${KAFKA_VERSION} ready on ${brokers} in ${seconds(started)}s`);
  return { brokers, startedByUs: true };
}

/**
 * Before a start: replaces a broker of ours that no longer answers, and refuses ports taken by
 * something else.
 * @param {number} p
 * @param {RunPaths} paths
 */
async function clearTheWay(p, paths) {
  const stale = readOwnPid(paths);
  if (stale) {
    // Our own broker, alive but not answering (hung or paused): replace it.
    log(`kafka: broker pid ${stale} from an earlier start does not answer; stopping it`);
    await stopPid(stale);
  }
  for (const busy of [p, p + 1]) {
    if (await isPortOpen(busy)) {
      throw new KafkaInfraError(
        `kafka: port ${busy} on ${HOST} is taken by something that is not a Kafka broker; ` +
          'free it or set KAFKA_PORT (the controller uses KAFKA_PORT+1)',
      );
    }
  }
}

/** @param {number | string | undefined} port */
const portFor = (port) => resolvePort(port ?? startedPort ?? undefined);

/**
 * Releases this process's use of the broker and stops it (SIGTERM, SIGKILL after 15 s) when it is one
 * these scripts started (pid file) and no other live process or `keep` lease still uses it.
 * `force: true` stops it regardless (CLI `stop`, `with-infra --down`).
 * No-op for a broker these scripts did not start.
 * @param {{ port?: number | string, force?: boolean }} [options]
 * @returns {Promise<boolean>} whether a broker was stopped
 */
export async function stopKafka({ port, force = false } = {}) {
  const p = portFor(port);
  const paths = runPaths(p);
  return withLock(p, async () => {
    fs.rmSync(path.join(paths.leases, ownLease()), { force: true });
    const pid = readOwnPid(paths);
    if (!pid) {
      fs.rmSync(paths.pid, { force: true });
      return force ? stopOtherVersion(p) : false;
    }
    const others = force ? [] : otherLiveLeases(paths);
    if (others.length > 0) {
      log(`kafka: leaving the broker on ${HOST}:${p} running for ${others.join(', ')}`);
      return false;
    }
    const started = Date.now();
    await stopPid(pid);
    fs.rmSync(paths.pid, { force: true });
    fs.rmSync(paths.leases, { recursive: true, force: true });
    log(`kafka: stopped broker pid ${pid} in ${seconds(started)}s`);
    return true;
  });
}

/**
 * A forced stop also ends a broker these scripts started for another Kafka version.
 * @param {number} port
 */
async function stopOtherVersion(port) {
  const other = otherVersionBroker(port);
  if (!other) return false;
  await stopPid(other.pid);
  fs.rmSync(other.paths.pid, { force: true });
  fs.rmSync(other.paths.leases, { recursive: true, force: true });
  log(`kafka: stopped the Kafka ${other.version} broker pid ${other.pid} on ${HOST}:${port}`);
  return true;
}

/**
 * Fault injection: sends a signal to the broker these scripts started (default SIGKILL), whoever
 * else uses it — so give such tests their own port. SIGSTOP/SIGCONT just pause/resume it; any other
 * signal waits (≤ 15 s) for the exit and removes the pid file, so that
 * `startKafka({ port, keepData: true })` brings the same broker (same data) back.
 * @param {NodeJS.Signals} [sig]
 * @param {{ port?: number | string }} [options]
 * @returns {Promise<boolean>} whether there was a broker to signal
 */
export async function killKafka(sig = 'SIGKILL', { port } = {}) {
  const paths = runPaths(portFor(port));
  const pid = readOwnPid(paths);
  if (!pid) return false;
  signal(pid, sig);
  if (sig === 'SIGSTOP' || sig === 'SIGCONT' || sig === 'SIGTSTP') return true;
  if (!(await waitForExit(pid, STOP_GRACE_MS))) {
    throw new KafkaInfraError(
      `kafka: broker pid ${pid} still runs ${STOP_GRACE_MS / 1000}s after ${sig}`,
    );
  }
  fs.rmSync(paths.pid, { force: true });
  return true;
}

/**
 * @param {{ port?: number | string }} [options]
 * @returns {Promise<{ brokers: string, up: boolean, pid: number | null, users: string[], runDir: string, version: string, otherVersion: string | null }>}
 */
export async function kafkaStatus({ port } = {}) {
  const p = resolvePort(port);
  const paths = runPaths(p);
  return {
    brokers: `${HOST}:${p}`,
    up: await isKafkaUp(p),
    pid: readOwnPid(paths),
    users: otherLiveLeases(paths),
    runDir: paths.dir,
    version: KAFKA_VERSION,
    otherVersion: otherVersionBroker(p)?.version ?? null,
  };
}

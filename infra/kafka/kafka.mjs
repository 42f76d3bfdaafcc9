#!/usr/bin/env node
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

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const POM = path.join(HERE, 'pom.xml');
const LOG4J2 = path.join(HERE, 'log4j2.properties');
// Kafka 4 logs through log4j2 (reload4j and -Dlog4j.configuration are gone since 4.0).
const LOG_CONFIG = `-Dlog4j2.configurationFile=${LOG4J2}`;
const HOST = '127.0.0.1';
const DEFAULT_PORT = 9092;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;
// Long enough for another process's first jar download plus its broker start.
const LOCK_TIMEOUT_MS = 240_000;

/** An expected failure with a message meant for a person; the CLI prints it without a stack. */
export class KafkaInfraError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KafkaInfraError';
  }
}

// The version lives in one place only: pom.xml's <kafka.version> property.
export const KAFKA_VERSION = readPomVersion();

function readPomVersion() {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM, 'utf8'));
  if (!match) throw new KafkaInfraError(`kafka: no <kafka.version> in ${POM}`);
  return match[1].trim();
}

const log = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Paths

function resolvePort(port) {
  const value = port ?? process.env.KAFKA_PORT ?? DEFAULT_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65534) {
    throw new KafkaInfraError(
      `kafka: invalid port ${JSON.stringify(value)} (KAFKA_PORT must be 1..65534)`,
    );
  }
  return n;
}

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'bfi-kafka', KAFKA_VERSION);
}

function runPaths(port, cache = cacheDir()) {
  const dir = path.join(cache, 'run', String(port));
  return {
    dir,
    data: path.join(dir, 'data'),
    config: path.join(dir, 'server.properties'),
    log: path.join(dir, 'broker.log'),
    pid: path.join(dir, 'broker.pid'),
    leases: path.join(dir, 'leases'),
  };
}

const libsDir = () => path.join(cacheDir(), 'libs');
const classpath = () => `${libsDir()}${path.sep}*`;
const javaBin = () =>
  process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

// ---------------------------------------------------------------------------------------------
// Tools and jars

function requireTool(cmd, args, installHint) {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.error) {
    throw new KafkaInfraError(
      `kafka: \`${cmd}\` is not available (${res.error.code ?? res.error.message}). ${installHint}`,
    );
  }
}

function requireJava() {
  requireTool(
    javaBin(),
    ['-version'],
    'Kafka needs Java 17+: install it (Debian: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME.',
  );
}

// Short-lived JVMs: the serial GC and C1-only JIT start faster (formatting takes ~1 s instead of ~2 s).
const QUICK_JVM = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** Runs a Kafka main class from the cached jars and returns its stdout. */
function runKafkaTool(mainClass, args) {
  const res = spawnSync(
    javaBin(),
    [...QUICK_JVM, LOG_CONFIG, '-cp', classpath(), mainClass, ...args],
    { encoding: 'utf8' },
  );
  if (res.error || res.status !== 0) {
    const detail = res.error?.message ?? `${res.stdout}\n${res.stderr}`.trim();
    throw new KafkaInfraError(`kafka: \`${mainClass} ${args.join(' ')}\` failed:\n${detail}`);
  }
  return res.stdout.trim();
}

/** The last line of `kafka.Kafka --version` from a libs folder, or null if the set is unusable. */
function jarVersion(dir) {
  const res = spawnSync(
    javaBin(),
    [...QUICK_JVM, LOG_CONFIG, '-cp', `${dir}${path.sep}*`, 'kafka.Kafka', '--version'],
    {
      encoding: 'utf8',
    },
  );
  if (res.error || res.status !== 0) return null;
  return res.stdout.trim().split('\n').pop()?.trim() ?? null;
}

/**
 * Makes sure the broker jars are in the cache. A download goes to a temp folder that is renamed
 * into place only once complete and verified, so an interrupted download is never mistaken for one.
 */
export function ensureKafkaJars() {
  requireJava();
  const libs = libsDir();
  if (fs.existsSync(libs)) return libs;

  requireTool(
    'mvn',
    ['-v'],
    'The Kafka broker jars are fetched from Maven Central with Maven: install it (Debian: apt-get install -y maven).',
  );
  fs.mkdirSync(cacheDir(), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheDir(), 'libs.partial-'));
  const started = Date.now();
  log(`kafka: downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} ...`);
  try {
    const res = spawnSync(
      'mvn',
      [
        '-B',
        '-q',
        '-Dstyle.color=never',
        '-f',
        POM,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${tmp}`,
      ],
      { encoding: 'utf8' },
    );
    if (res.error || res.status !== 0) {
      // Maven 3.8 prints colour resets even in batch mode; strip them from the message.
      const output = `${res.stdout}\n${res.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
      const detail = res.error?.message ?? output.split('\n').slice(-30).join('\n');
      throw new KafkaInfraError(
        `kafka: downloading the Kafka ${KAFKA_VERSION} jars with Maven failed (is Maven Central reachable?):\n${detail}`,
      );
    }
    const version = jarVersion(tmp);
    if (version !== KAFKA_VERSION) {
      throw new KafkaInfraError(
        `kafka: the downloaded jars do not run \`kafka.Kafka --version\` (got ${JSON.stringify(version)}, expected ${KAFKA_VERSION})`,
      );
    }
    try {
      fs.renameSync(tmp, libs);
    } catch (err) {
      // Another process finished the same download first: keep theirs.
      if (!fs.existsSync(libs)) throw err;
    }
    log(`kafka: jars ready in ${seconds(started)}s`);
    return libs;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Probing

/** True when a Kafka broker answers describeCluster on the port (short timeouts, no retries). */
export async function isKafkaUp(port) {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({
    clientId: 'bfi-infra-probe',
    brokers: [`${HOST}:${port}`],
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** True when something accepts TCP connections on the port. */
function isPortOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port, timeout: 1000 });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping

/** Alive and not a zombie (a killed child stays in the table until its parent reaps it). */
function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** The pid of the broker these scripts started on the port, if it still runs (guards against pid reuse). */
function readOwnPid(paths) {
  let pid;
  try {
    pid = Number(fs.readFileSync(paths.pid, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(paths.config)) return null;
  } catch {
    // No /proc (not Linux): trust the pid file.
  }
  return pid;
}

/**
 * A broker these scripts started on the port for another Kafka version (a checkout from before a
 * version change): the port answers, but not with the version this checkout tests against.
 */
function otherVersionBroker(port) {
  const base = path.dirname(cacheDir());
  let versions;
  try {
    versions = fs.readdirSync(base).filter((v) => v !== KAFKA_VERSION);
  } catch {
    return null;
  }
  for (const version of versions) {
    const paths = runPaths(port, path.join(base, version));
    const pid = readOwnPid(paths);
    if (pid) return { version, pid, paths };
  }
  return null;
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Start

function serverProperties(port, paths, config) {
  const controllerPort = port + 1;
  return [
    '# Written by infra/kafka/kafka.mjs on every start; edits are lost.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${port}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${paths.data}`,
    'num.partitions=3',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    '# The default 3000 ms would delay every first consumer-group join by 3 s.',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
    '# The 128 MiB default is allocated on the (512 MiB) heap.',
    'log.cleaner.dedupe.buffer.size=16777216',
    '# After a crash (kill -9) the controller holds the old broker registration until its session times',
    '# out before the restarted broker may register again: the 9 s default made restarts take ~13 s.',
    'broker.session.timeout.ms=3000',
    'broker.heartbeat.interval.ms=1000',
    // Overrides last: in a properties file the last value of a key wins.
    ...Object.entries(config).map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}

function formatStorage(paths) {
  const clusterId = runKafkaTool('kafka.tools.StorageTool', ['random-uuid'])
    .split('\n')
    .pop()
    .trim();
  // Static voters (controller.quorum.voters): no --standalone.
  runKafkaTool('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', paths.config]);
}

function logTail(paths, lines = 40) {
  try {
    return fs.readFileSync(paths.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no broker log)';
  }
}

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

async function waitUntilReady(child, port, paths, started) {
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
  if (!exited) await stopPid(child.pid);
  fs.rmSync(paths.pid, { force: true });
  throw new KafkaInfraError(
    `kafka: start failed: ${why}. Tail of ${paths.log}:\n${logTail(paths)}`,
  );
}

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
 * @param {{ port?: number, keepData?: boolean, keep?: boolean, config?: Record<string, string> }} [options]
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

// ---------------------------------------------------------------------------------------------
// Sharing between processes: a lock file per port, and leases

/** Runs fn while holding run/<port>.lock; a lock whose holder died is taken over. */
async function withLock(port, fn) {
  const lockFile = path.join(cacheDir(), 'run', `${port}.lock`);
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let waitingFor = null;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = readLockHolder(lockFile);
    if (holder === 'stale') {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new KafkaInfraError(
        `kafka: pid ${holder} has held ${lockFile} for over ${LOCK_TIMEOUT_MS / 1000}s; if it is stuck, remove the file`,
      );
    }
    if (holder && holder !== waitingFor) {
      log(
        `kafka: waiting for pid ${holder}, which is starting or stopping the broker on port ${port}`,
      );
      waitingFor = holder;
    }
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/** The live pid holding the lock, null if unknown yet, or 'stale'. */
function readLockHolder(lockFile) {
  try {
    const text = fs.readFileSync(lockFile, 'utf8').trim();
    if (!text) {
      // Just created and not yet written, unless it has been empty for a while (writer died).
      return Date.now() - fs.statSync(lockFile).mtimeMs > 5000 ? 'stale' : null;
    }
    const pid = Number(text);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : 'stale';
  } catch {
    return null; // released meanwhile: try again
  }
}

const ownLease = () => `pid-${process.pid}`;

function addLease(paths, keep) {
  fs.mkdirSync(paths.leases, { recursive: true });
  fs.writeFileSync(path.join(paths.leases, keep ? 'keep' : ownLease()), '');
}

/** Leases other than this process's that still count ('keep', or a live process); drops dead ones. */
function otherLiveLeases(paths) {
  let names;
  try {
    names = fs.readdirSync(paths.leases);
  } catch {
    return [];
  }
  return names.filter((name) => {
    if (name === ownLease()) return false;
    if (name === 'keep') return true;
    const pid = Number(name.replace(/^pid-/, ''));
    if (isAlive(pid)) return true;
    fs.rmSync(path.join(paths.leases, name), { force: true });
    return false;
  });
}

// ---------------------------------------------------------------------------------------------
// Stop

async function stopPid(pid) {
  signal(pid, 'SIGCONT'); // a paused (SIGSTOP) broker cannot act on SIGTERM
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_GRACE_MS)) return;
  log(`kafka: broker pid ${pid} ignored SIGTERM for ${STOP_GRACE_MS / 1000}s; sending SIGKILL`);
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 5000);
}

const portFor = (port) => resolvePort(port ?? startedPort ?? undefined);

/**
 * Releases this process's use of the broker and stops it (SIGTERM, SIGKILL after 15 s) when it is one
 * these scripts started (pid file) and no other live process or `keep` lease still uses it.
 * `force: true` stops it regardless (CLI `stop`, `with-infra --down`).
 * No-op for a broker these scripts did not start.
 * @param {{ port?: number, force?: boolean }} [options]
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

/** A forced stop also ends a broker these scripts started for another Kafka version. */
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
 * @param {{ port?: number }} [options]
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
 * @param {{ port?: number }} [options]
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

// ---------------------------------------------------------------------------------------------
// Helpers and CLI

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1);
}

function parseCliOptions(args) {
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

async function cli([command, ...rest]) {
  const options = parseCliOptions(rest);
  switch (command) {
    case 'start': {
      const { brokers } = await startKafka({ ...options, keep: true });
      console.log(`KAFKA_BROKERS=${brokers}`);
      return 0;
    }
    case 'stop':
      if (!(await stopKafka({ ...options, force: true })))
        log('kafka: no broker started by these scripts is running');
      return 0;
    case 'restart':
      await stopKafka({ ...options, force: true });
      await startKafka({ ...options, keepData: true, keep: true });
      return 0;
    case 'kill':
      log(
        (await killKafka('SIGKILL', options))
          ? 'kafka: broker killed'
          : 'kafka: no broker of ours to kill',
      );
      return 0;
    case 'fetch':
      ensureKafkaJars();
      log(`kafka: ${KAFKA_VERSION} jars in ${libsDir()}`);
      return 0;
    case 'status': {
      const s = await kafkaStatus(options);
      const owner = s.pid
        ? `started by these scripts, pid ${s.pid}; users: ${s.users.join(', ') || 'none'}`
        : s.otherVersion
          ? `Kafka ${s.otherVersion} started by these scripts, not ${s.version}`
          : 'not started by these scripts';
      console.log(s.up ? `kafka: up on ${s.brokers} (${owner})` : `kafka: down on ${s.brokers}`);
      return s.up ? 0 : 3;
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
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

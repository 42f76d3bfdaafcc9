// @ts-check
// Finding and signalling broker processes: is a broker answering, is a pid ours and alive.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { HOST, KAFKA_VERSION, cacheDir, errorCode, log, runPaths, sleep } from './common.mjs';

/** @typedef {import('./common.mjs').RunPaths} RunPaths */

export const STOP_GRACE_MS = 15_000;

/**
 * True when a Kafka broker answers describeCluster on the port (short timeouts, no retries).
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export async function isKafkaUp(port) {
  // Imported lazily, so that `status` and `stop` work before `npm ci`.
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

/**
 * True when something accepts TCP connections on the port.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function isPortOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port, timeout: 1000 });
    /** @param {boolean} open */
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * Alive and not a zombie (a killed child stays in the table until its parent reaps it).
 * @param {number} pid
 */
export function isAlive(pid) {
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

/**
 * The pid of the broker these scripts started on the port, if it still runs (guards against pid reuse).
 * @param {RunPaths} paths
 * @returns {number | null}
 */
export function readOwnPid(paths) {
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
 * @param {number} port
 * @returns {{ version: string, pid: number, paths: RunPaths } | null}
 */
export function otherVersionBroker(port) {
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

/**
 * @param {number} pid
 * @param {number} timeoutMs
 * @returns {Promise<boolean>} whether it exited in time
 */
export async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

/**
 * Sends a signal; a process that is already gone is not an error.
 * @param {number} pid
 * @param {NodeJS.Signals} sig
 */
export function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if (errorCode(err) !== 'ESRCH') throw err;
  }
}

/** SIGTERM, then SIGKILL after 15 s. @param {number} pid */
export async function stopPid(pid) {
  signal(pid, 'SIGCONT'); // a paused (SIGSTOP) broker cannot act on SIGTERM
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_GRACE_MS)) return;
  log(`kafka: broker pid ${pid} ignored SIGTERM for ${STOP_GRACE_MS / 1000}s; sending SIGKILL`);
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 5000);
}

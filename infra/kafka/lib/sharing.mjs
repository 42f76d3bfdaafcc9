// @ts-check
// Sharing one broker between processes: a lock file per port serialises starts and stops, and
// each process that uses a broker of ours holds a lease on it.
import fs from 'node:fs';
import path from 'node:path';
import { KafkaInfraError, cacheDir, errorCode, log, sleep } from './common.mjs';
import { isAlive } from './processes.mjs';

/** @typedef {import('./common.mjs').RunPaths} RunPaths */

// Long enough for another process's first jar download plus its broker start.
const LOCK_TIMEOUT_MS = 240_000;

/**
 * Runs fn while holding run/<port>.lock; a lock whose holder died is taken over.
 * @template T
 * @param {number} port
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withLock(port, fn) {
  const lockFile = path.join(cacheDir(), 'run', `${port}.lock`);
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  /** @type {number | null} */
  let waitingFor = null;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
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

/**
 * The live pid holding the lock, null if unknown yet, or 'stale'.
 * @param {string} lockFile
 * @returns {number | null | 'stale'}
 */
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

export const ownLease = () => `pid-${process.pid}`;

/**
 * @param {RunPaths} paths
 * @param {boolean} keep a lease that only a forced stop ends
 */
export function addLease(paths, keep) {
  fs.mkdirSync(paths.leases, { recursive: true });
  fs.writeFileSync(path.join(paths.leases, keep ? 'keep' : ownLease()), '');
}

/**
 * Leases other than this process's that still count ('keep', or a live process); drops dead ones.
 * @param {RunPaths} paths
 * @returns {string[]}
 */
export function otherLiveLeases(paths) {
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

import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Who holds a data folder: enough to tell a live holder from a dead one whose pid was reused. */
interface Holder {
  pid: number;
  /** Start time of the process (Linux: /proc/<pid>/stat field 22), null where unknown. */
  started: string | null;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is in use by another npm start (pid ${pid}). ` +
        'Stop that one first, or give this one its own folder: DATA_DIR=/some/other/folder npm start',
    );
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * Takes the data folder for this process before anything opens its databases: two processes on
 * one PGlite folder corrupt it, and nothing in PGlite stops the second. The lock is a file
 * created with O_EXCL holding our pid and start time. A lock whose process is gone (crash,
 * SIGKILL) is stale and taken over; a live holder makes this throw DataDirInUseError.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'suite.lock');
  const me: Holder = { pid: process.pid, started: startTimeOf(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return {
        release() {
          // Only our own lock: never remove one a later process took over.
          if (readHolder(path)?.pid === me.pid) rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    if (holder && isAlive(holder)) throw new DataDirInUseError(dataDir, holder.pid);
    // Stale (or half-written by a process that died at once): move it aside atomically, so of
    // two processes taking over the same stale lock only one succeeds in creating the new one.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      rmSync(`${path}.stale-${process.pid}`, { force: true });
    } catch {
      // Another process moved it first; try again.
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, started: parsed.started ?? null }
      : null;
  } catch {
    return null;
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else — still alive.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid exists; if it started at another time it is a new process that reused the pid.
  const started = startTimeOf(holder.pid);
  return holder.started === null || started === null || started === holder.started;
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

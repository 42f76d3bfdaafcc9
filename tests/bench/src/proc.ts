// What the kernel says about a process: CPU time from /proc/<pid>/stat, peak RSS from
// /proc/<pid>/status — read from outside, so the services need no instrumentation.
import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU of a process in milliseconds (0 when it is gone). */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function statusField(pid: number | undefined, field: string): number | null {
  if (!pid) return null;
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Peak resident set size of the process so far (VmHWM), in bytes. */
export const peakRss = (pid: number | undefined): number | null => statusField(pid, 'VmHWM');

export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export const MiB = 1024 * 1024;

/** CPU of several processes between two moments. */
export class CpuMeter {
  private readonly start: Map<string, number>;
  constructor(private readonly pids: Record<string, number | undefined>) {
    this.start = new Map(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  }
  /** CPU ms each process spent since the meter was made. */
  spent(): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.pids).map(([name, pid]) => [
        name,
        cpuMs(pid) - (this.start.get(name) ?? 0),
      ]),
    );
  }
}

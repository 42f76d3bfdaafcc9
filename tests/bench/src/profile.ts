// `--profile`: the pipeline's service processes profile themselves (cpu-profile.mjs, V8's
// sampling profiler every 1 ms, started and stopped by SIGUSR2 around the capacity phase) and
// write the profile when they stop; here each one is cut to the phase and summed by function (self time: the samples whose top frame it is) and
// by package, for the compact block under the table and the JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PRELOAD = path.join(__dirname, 'cpu-profile.mjs');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  /** Function name (or V8's "(garbage collector)", "(program)"…) and where it is defined. */
  name: string;
  where: string;
  selfMs: number;
  /** Of the busy (not idle) time sampled in the window. */
  share: number;
}

export interface ProfileSummary {
  /** Wall time the window covered in this process's samples. */
  sampledMs: number;
  /** Share of it the process was idle (waiting for I/O: the database, Kafka, HTTP). */
  idleShare: number;
  top: Hotspot[];
  /** Self time by package (node_modules/<pkg>, the workspace, Node's internals, V8). */
  packages: { name: string; share: number }[];
}

/** The environment that makes a spawned Node process profile itself into `dir`. */
export function profilingEnv(dir: string): Record<string, string> {
  const preload = `--import ${pathToFileURL(PRELOAD).href}`;
  const inherited = process.env.NODE_OPTIONS;
  return {
    BENCH_CPU_PROFILE_DIR: dir,
    NODE_OPTIONS: inherited ? `${inherited} ${preload}` : preload,
  };
}

export function profileDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-bench-cpuprofile-'));
}

/** Starts (first time) or stops (second time) the profiler of a process spawned with it. */
export function toggleProfiler(pids: (number | undefined)[]): void {
  for (const pid of pids) if (pid) process.kill(pid, 'SIGUSR2');
}

/** The profiles written into `dir` by process id, with the wall clock at their start. */
export function readProfiles(
  dir: string,
): Map<number, { wallAtStart: number; profile: CpuProfile }> {
  const out = new Map<number, { wallAtStart: number; profile: CpuProfile }>();
  for (const file of fs.readdirSync(dir)) {
    const match = /^(\d+)\.cpuprofile\.json$/.exec(file);
    if (!match) continue;
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
      wallAtStart: number;
      profile: CpuProfile;
    };
    out.set(Number(match[1]), parsed);
  }
  return out;
}

/** "services/payment/src/app/x.ts:12", "node_modules/pg/lib/client.js:40", "node:net:…". */
function shortUrl(url: string): string {
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) return file.slice(nm + 1);
  return file.startsWith(`${ROOT}/`) ? file.slice(ROOT.length + 1) : file;
}

/** What a frame belongs to: a package, a workspace, Node's internals, or V8 itself. */
export function packageOf(frame: CallFrame): string {
  if (frame.url === '')
    return frame.functionName.startsWith('(') ? frame.functionName : '(V8/native)';
  const where = shortUrl(frame.url);
  if (where.startsWith('node:')) return 'node internals';
  if (where.startsWith('wasm:')) return 'wasm (e.g. Prisma query compiler)';
  if (where.startsWith('node_modules/')) {
    const parts = where.split('/');
    return parts[1]!.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]!;
  }
  const parts = where.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : where;
}

/** Self time per node id of the samples taken between `fromMs` and `toMs` (wall clock). */
function selfTimes(
  profile: CpuProfile,
  wallAtStart: number,
  fromMs: number,
  toMs: number,
): Map<number, number> {
  const self = new Map<number, number>();
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  for (let i = 0; i < profile.samples.length; i++) {
    const at = wallAtStart + (times[i]! - profile.startTime) / 1000;
    if (at < fromMs || at > toMs) continue;
    // A sample stands for the time until the next one (the last: until the profile's end).
    const next = i + 1 < times.length ? times[i + 1]! : profile.endTime;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + Math.max(0, next - times[i]!) / 1000);
  }
  return self;
}

/** The window's time by function and package; `top` functions by self time, idle apart. */
export function summarize(
  profile: CpuProfile,
  wallAtStart: number,
  window: { from: number; to: number },
  top = 10,
): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, Hotspot>();
  const byPackage = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, ms] of selfTimes(profile, wallAtStart, window.from, window.to)) {
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    busy += ms;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const spot = byFunction.get(key) ?? { name, where, selfMs: 0, share: 0 };
    spot.selfMs += ms;
    byFunction.set(key, spot);
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const share = (ms: number) => (busy > 0 ? ms / busy : 0);
  return {
    sampledMs: idle + busy,
    idleShare: idle + busy > 0 ? idle / (idle + busy) : 0,
    top: [...byFunction.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((s) => ({ ...s, share: share(s.selfMs) })),
    packages: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, ms]) => ({ name, share: share(ms) })),
  };
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The compact block printed under the table: one paragraph per process. */
export function formatProfiles(profiles: { process: string; summary: ProfileSummary }[]): string {
  if (profiles.length === 0) return '';
  const blocks = profiles.map(({ process: name, summary: s }) => {
    const head = `${name}: ${(s.sampledMs / 1000).toFixed(1)} s sampled, idle ${pct(s.idleShare)}; by package: ${s.packages.map((p) => `${p.name} ${pct(p.share)}`).join(', ')}`;
    const rows = s.top.map(
      (h) =>
        `  ${pct(h.share).padStart(7)} ${`${Math.round(h.selfMs)} ms`.padStart(9)}  ${h.name}${h.where ? `  ${h.where}` : ''}`,
    );
    return [head, ...rows].join('\n');
  });
  return [
    'CPU profile of the capacity phase, top functions by self time (share of the busy time):',
    ...blocks,
  ].join('\n');
}

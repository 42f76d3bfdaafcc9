import path from 'node:path';
import { counterValue, per } from '../src/metrics';
import { formatProfiles, packageOf, summarize, type CpuProfile } from '../src/profile';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('counters from /metrics', () => {
  const text = [
    '# HELP db_statements_total Statements this process sent to PostgreSQL',
    '# TYPE db_statements_total counter',
    'db_statements_total 15230',
    'db_statements_total_created 1.7e9',
    'http_requests_total{route="/x"} 4',
  ].join('\n');

  it('reads the counter, not the ones that start with its name', () => {
    expect(counterValue(text, 'db_statements_total')).toBe(15230);
  });

  it('sums labelled series and has nothing for a counter the process lacks', () => {
    const labelled = 'db_statements_total{pool="a"} 3\ndb_statements_total{pool="b"} 4';
    expect(counterValue(labelled, 'db_statements_total')).toBe(7);
    expect(counterValue(text, 'kafka_messages_total')).toBeNull();
  });

  it('divides only what is known by what is positive', () => {
    expect(per(52, 10)).toBe(5.2);
    expect(per(null, 10)).toBeNull();
    expect(per(5, 0)).toBeNull();
  });
});

// Samples every 1 ms from t = 1,000,000 µs: idle, a Prisma frame, pg, GC — 10 samples.
const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    {
      id: 3,
      callFrame: frame('compile', `file://${ROOT}/node_modules/@prisma/client/runtime/c.js`, 9),
    },
    { id: 4, callFrame: frame('', `file://${ROOT}/node_modules/pg/lib/client.js`, 41) },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('apply', `file://${ROOT}/services/payment/src/app/x.ts`, 2) },
  ],
  startTime: 1_000_000,
  endTime: 1_010_000,
  samples: [2, 2, 2, 2, 3, 3, 3, 4, 5, 6],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};
const wall = 50_000; // the wall clock (ms) at the profile's start

describe('a CPU profile cut to a phase', () => {
  it('sums self time by function, idle apart, within the window only', () => {
    const all = summarize(profile, wall, { from: 0, to: Number.MAX_SAFE_INTEGER });
    expect(all.sampledMs).toBe(10);
    expect(all.idleShare).toBeCloseTo(0.4);
    expect(all.top[0]).toEqual({
      name: 'compile',
      where: 'node_modules/@prisma/client/runtime/c.js:10',
      selfMs: 3,
      share: 0.5,
    });
    expect(all.top.map((h) => h.name)).toEqual([
      'compile',
      '(anonymous)',
      '(garbage collector)',
      'apply',
    ]);
    // From the 5th millisecond on: the idle samples fall outside.
    const late = summarize(profile, wall, { from: wall + 4, to: wall + 100 });
    expect(late.idleShare).toBe(0);
    expect(late.sampledMs).toBe(6);
  });

  it('groups by package: node_modules, workspace, V8', () => {
    const s = summarize(profile, wall, { from: 0, to: Number.MAX_SAFE_INTEGER });
    expect(s.packages.map((p) => p.name)).toEqual([
      '@prisma/client',
      'pg',
      '(garbage collector)',
      'services/payment',
    ]);
    expect(packageOf(frame('writev'))).toBe('(V8/native)');
    expect(packageOf(frame('connect', 'node:net', 1))).toBe('node internals');
    expect(packageOf(frame('f', 'wasm://wasm/0a1b', 1))).toMatch(/^wasm/);
  });

  it('prints one compact paragraph per process', () => {
    const s = summarize(profile, wall, { from: 0, to: Number.MAX_SAFE_INTEGER });
    const text = formatProfiles([{ process: 'payment', summary: s }]);
    expect(text).toContain(
      'payment: 0.0 s sampled, idle 40.0 %; by package: @prisma/client 50.0 %',
    );
    expect(text).toMatch(/\n +50\.0 % +3 ms {2}compile {2}node_modules\/@prisma\/client/);
    expect(formatProfiles([])).toBe('');
  });
});

import { parseArgs } from '../src/main';
import { formatRatio, formatTable, ratioOf, toJson, type Figure } from '../src/table';

const webhook: Figure = {
  path: 'webhook: distinct signed events',
  value: 250,
  unit: 'req/s',
  baseline: 'bare express, same setup',
  baselineValue: 10_887,
  goal: '≥ 40 % of bare express',
  note: '1500 answered 2xx',
};
const unmeasured: Figure = {
  path: 'postgres: pgbench',
  value: null,
  unit: '',
  baseline: null,
  baselineValue: null,
  goal: 'baseline (printed)',
  note: 'pgbench is not installed here',
};

describe('ratio arithmetic', () => {
  it('divides the figure by its baseline', () => {
    expect(ratioOf(250, 10_887)).toBeCloseTo(0.02296, 5);
    expect(ratioOf(53, 2.2)).toBeCloseTo(24.09, 2);
  });

  it('has no ratio without both sides or with a zero baseline', () => {
    expect(ratioOf(null, 10)).toBeNull();
    expect(ratioOf(10, null)).toBeNull();
    expect(ratioOf(10, 0)).toBeNull();
    expect(ratioOf(Number.NaN, 10)).toBeNull();
  });

  it('shows a share below 1 and a multiple from 1 on', () => {
    expect(formatRatio(0.02296)).toBe('2.30 %');
    expect(formatRatio(0.98)).toBe('98.0 %');
    expect(formatRatio(24.09)).toBe('24.09×');
    expect(formatRatio(null)).toBe('—');
  });
});

describe('the table', () => {
  const text = formatTable([webhook, unmeasured]);
  const lines = text.split('\n');

  it('has the five columns and one row per figure, all rows as wide', () => {
    expect(lines[0]).toMatch(/^\| path +\| figure +\| baseline +\| ratio +\| goal +\|$/);
    expect(lines[2]).toContain('| 250 req/s ');
    expect(lines[2]).toContain('10,887 req/s (bare express, same setup)');
    expect(lines[2]).toContain('| 2.30 % ');
    expect(lines[3]).toContain('not measured');
    expect(new Set(lines.slice(0, 4).map((l) => l.length)).size).toBe(1);
  });

  it('lists the notes under it', () => {
    expect(text).toContain('- postgres: pgbench: pgbench is not installed here');
  });
});

describe('the JSON', () => {
  it('is keyed by path with value, unit, baseline, baselineValue, ratio and goal', () => {
    const json = toJson([webhook, unmeasured]);
    expect(json['webhook: distinct signed events']).toEqual({
      value: 250,
      unit: 'req/s',
      baseline: 'bare express, same setup',
      baselineValue: 10_887,
      ratio: 250 / 10_887,
      goal: '≥ 40 % of bare express',
      note: '1500 answered 2xx',
    });
    expect(json['postgres: pgbench']!.ratio).toBeNull();
  });

  it("carries a process's CPU profile with its figure", () => {
    const profile = { sampledMs: 10, idleShare: 0.5, top: [], packages: [] };
    const json = toJson([{ ...webhook, path: 'pipeline: CPU payment', profile }]);
    expect(json['pipeline: CPU payment']!.profile).toEqual(profile);
    expect(json['webhook: distinct signed events']).toBeUndefined();
  });
});

describe('arguments', () => {
  it('reads --quick, --json FILE and --only', () => {
    expect(parseArgs(['--quick', '--json', 'out.json', '--only', 'ledger'])).toEqual({
      quick: true,
      json: 'out.json',
      only: ['ledger'],
      profile: false,
    });
    expect(parseArgs(['--json=x.json']).json).toBe('x.json');
  });

  it('profiles the full run unless told not to, the quick one only when told', () => {
    expect(parseArgs([]).profile).toBe(true);
    expect(parseArgs(['--no-profile']).profile).toBe(false);
    expect(parseArgs(['--quick']).profile).toBe(false);
    expect(parseArgs(['--profile', '--quick']).profile).toBe(true);
  });

  it('refuses what it does not know', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument --fast/);
    expect(() => parseArgs(['--only', 'nothing'])).toThrow(/no path nothing/);
  });
});

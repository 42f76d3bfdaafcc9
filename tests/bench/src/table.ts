// The one table `npm run bench` prints, and the JSON `--json FILE` writes: every figure next to
// the baseline the same run measured on the same machine, so a busy machine moves both.
import type { ProfileSummary } from './profile';

export interface Figure {
  /** Key in the JSON and first column of the table, e.g. "pipeline: sustained". */
  path: string;
  /** null when the figure could not be measured (the note says why). */
  value: number | null;
  unit: string;
  /** What the baseline is (e.g. "bare express, same port setup"); null when there is none. */
  baseline: string | null;
  baselineValue: number | null;
  /** The goal for this figure, as text (figures are printed, never asserted). */
  goal: string;
  /** Conditions of the measurement (rate offered, rows, duration…). */
  note?: string;
  /** The process's CPU profile over the phase (`--profile`), printed under the table. */
  profile?: ProfileSummary;
}

export interface FigureJson {
  value: number | null;
  unit: string;
  baseline: string | null;
  baselineValue: number | null;
  ratio: number | null;
  goal: string;
  note?: string;
  profile?: ProfileSummary;
}

/** value ÷ baseline, or null when either side is missing or the baseline is zero. */
export function ratioOf(value: number | null, baselineValue: number | null): number | null {
  if (value === null || baselineValue === null || !Number.isFinite(value)) return null;
  if (!Number.isFinite(baselineValue) || baselineValue === 0) return null;
  return value / baselineValue;
}

/** Below 1 as a share ("2.3 %": 2.3 % of the baseline), from 1 on as a multiple ("3.10×"). */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '—';
  if (ratio < 1) return `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)} %`;
  return `${ratio.toFixed(2)}×`;
}

/** Three significant digits at most, thousands grouped: 10,887 · 452 · 63.2 · 0.89. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: 0,
    maximumFractionDigits: digits,
  });
}

export function formatValue(value: number | null, unit: string): string {
  return value === null ? 'not measured' : `${formatNumber(value)} ${unit}`.trimEnd();
}

export function toJson(figures: Figure[]): Record<string, FigureJson> {
  const out: Record<string, FigureJson> = {};
  for (const f of figures) {
    out[f.path] = {
      value: f.value,
      unit: f.unit,
      baseline: f.baseline,
      baselineValue: f.baselineValue,
      ratio: ratioOf(f.value, f.baselineValue),
      goal: f.goal,
      ...(f.note ? { note: f.note } : {}),
      ...(f.profile ? { profile: f.profile } : {}),
    };
  }
  return out;
}

const HEADER = ['path', 'figure', 'baseline', 'ratio', 'goal'] as const;

function cells(f: Figure): string[] {
  const baseline =
    f.baseline === null
      ? '—'
      : `${formatValue(f.baselineValue, f.unit)} (${f.baseline})`.replace(/^not measured/, '—');
  return [
    f.path,
    formatValue(f.value, f.unit),
    baseline,
    formatRatio(ratioOf(f.value, f.baselineValue)),
    f.goal,
  ];
}

/** A plain-text table (Markdown pipes, so it pastes into an issue), notes listed under it. */
export function formatTable(figures: Figure[]): string {
  const rows = [HEADER.slice() as string[], ...figures.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const notes = figures
    .filter((f) => f.note)
    .map((f) => `- ${f.path}: ${f.note}`)
    .join('\n');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line), '', notes].join('\n').trimEnd();
}

import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LINE_STATUSES } from '../domain';
import type { Db } from '../../db/client';
import { fundTotals, listFunds } from '../../ledger';
import { findRun } from '../db/reconciliation-repo';
import { discrepancyTotals, largestDiscrepancies } from '../db/report-reads';
import type { ReportData, Totals } from './pdf-render';
import { prepareRenderThread, renderInThread, type RenderJob } from './pdf-threads';
import { runCsvSha256 } from './runs';

export { printAmount } from './pdf-layout';
export { CAMPAIGN } from './pdf-render';

/**
 * The discrepancy table prints at most this many rows (the largest; ~12 pages); the totals of
 * every discrepancy are printed above it from SQL sums, and the rest of the lines are in the
 * run's CSV (lines.csv), which the report points to. A PDF is for people to read and sign; a
 * run with more discrepancies than this is worked through in the CSV or the API.
 */
export const MAX_REPORT_DISCREPANCIES = 500;

export interface ReportOptions {
  runId: string;
  /** Only this fund's totals (default: every fund). */
  fund?: string;
  /** Called as pages go out, with the discrepancy rows drawn so far. */
  onProgress?: (discrepancyRows: number) => void;
}

export interface ReportResult {
  pages: number;
  csvSha256: string;
  /** Discrepancy rows printed (at most MAX_REPORT_DISCREPANCIES). */
  discrepancies: number;
}

type GroupBy = 'channel' | 'office' | 'day';

const FIGURES = [
  'gross',
  'fees',
  'coveredFees',
  'refunds',
  'disputesLost',
  'disputesHeld',
  'net',
  'available',
  'count',
] as const;

/**
 * A fund's totals per currency, summed from its rows per channel: every figure is a sum over
 * the journal (net and available too), and every entry is in exactly one channel group (null
 * included), so this is the ledger's per-currency query without another pass over the period.
 */
function perCurrency(perChannel: Totals): Totals {
  const rows = new Map<string, Totals[number]>();
  for (const { group: _group, ...t } of perChannel) {
    const key = `${t.fund}\u0000${t.currency}`;
    const sum = rows.get(key);
    if (!sum) rows.set(key, { ...t });
    else for (const f of FIGURES) sum[f] += t[f];
  }
  // In the ledger's order: funds as listed, each one's currencies alphabetically.
  const funds = [...new Set(perChannel.map((t) => t.fund))];
  const rank = (t: Totals[number]) => funds.indexOf(t.fund);
  return [...rows.values()].sort(
    (a, b) => rank(a) - rank(b) || a.currency.localeCompare(b.currency),
  );
}

/** Everything the report prints, read before the first byte: sums, and at most the cap's rows. */
async function loadReport(db: Db, options: ReportOptions): Promise<ReportData> {
  const run = await findRun(db, options.runId);
  if (!run) throw new Error(`no reconciliation run ${options.runId}`);
  const all = await listFunds(db);
  const funds = options.fund ? all.filter((f) => f.slug === options.fund) : all;
  const period = { from: new Date(run.from), to: new Date(run.to) };
  const perGroup = async (groupBy: GroupBy): Promise<Totals> => {
    const perFund = await Promise.all(
      funds.map(async ({ slug }) =>
        (await fundTotals(db, { fund: slug, groupBy, ...period })).map((t) => ({
          fund: slug,
          ...t,
        })),
      ),
    );
    return perFund.flat();
  };
  // Three passes over the period's journal per fund (each a GROUP BY in PostgreSQL); the
  // per-currency table is summed from the per-channel rows.
  const [channel, office, day, sums, rows, csvSha256] = await Promise.all([
    perGroup('channel'),
    perGroup('office'),
    perGroup('day'),
    discrepancyTotals(db, run.id),
    largestDiscrepancies(db, run.id, MAX_REPORT_DISCREPANCIES),
    runCsvSha256(db, run),
  ]);
  const currency = perCurrency(channel);
  return {
    run,
    funds: funds.map((f) => ({ slug: f.slug, name: f.name })),
    statuses: LINE_STATUSES,
    csvSha256,
    totals: { currency, channel, office, day },
    discrepancyTotals: sums,
    discrepancies: sums.reduce((n, t) => n + t.lines, 0),
    rows,
  };
}

/**
 * The finance report of a reconciliation run as a stream: cover, fund totals per currency,
 * channel and office, daily chart, discrepancy totals, the largest discrepancies, signatures;
 * every page carries "Page n of N" and the SHA-256 of the run's reconciliation CSV. The
 * figures are read here (SQL sums, the capped rows); the pages are drawn in a worker thread
 * (pdf-threads.ts), so a big report does not stall the other requests of this process. Memory
 * is bounded whatever the run's size: the rows are capped, pages go out as the reader takes
 * them, and the thread's heap is limited. A reader that goes away ends the thread; a failure
 * in it fails only this stream.
 */
export function reportStream(db: Db, options: ReportOptions, result?: ReportResult): Readable {
  prepareRenderThread(); // pdfkit loads in the thread while the figures are read
  let job: RenderJob | null = null;
  let owed = false; // the thread waits for leave to send its next chunk
  const more = () => {
    owed = false;
    job?.more();
  };
  const out = new Readable({
    read: () => {
      if (owed) more();
    },
    destroy: (err, callback) => {
      job?.cancel();
      callback(err);
    },
  });
  const start = (data: ReportData) =>
    renderInThread(data, {
      chunk: (bytes, rows) => {
        options.onProgress?.(rows);
        owed = true;
        if (out.push(bytes)) more();
      },
      done: (pages, rows) => {
        if (result)
          Object.assign(result, { pages, csvSha256: data.csvSha256, discrepancies: rows });
        out.push(null);
      },
      fail: (err) => out.destroy(err),
    });
  loadReport(db, options).then(
    (data) => {
      if (!out.destroyed) job = start(data);
    },
    (err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return out;
}

/** The report written to a file or any stream (CLI, bench). */
export async function renderReport(
  db: Db,
  options: ReportOptions,
  out: Writable,
): Promise<ReportResult> {
  const result: ReportResult = { pages: 0, csvSha256: '', discrepancies: 0 };
  await pipeline(reportStream(db, options, result), out);
  return result;
}

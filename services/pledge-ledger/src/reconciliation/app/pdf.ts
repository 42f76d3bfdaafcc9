import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FONTS, useSuiteFonts } from '@bfi/pdf-fonts';
import PDFDocument from 'pdfkit';
import { LINE_STATUSES } from '../domain';
import type { Db } from '../../db/client';
import { fundTotals, listFunds, type FundTotalsRow } from '../../ledger';
import { allRunLines, findRun, type RunView, type StoredLine } from '../db/reconciliation-repo';
import {
  BOTTOM,
  dailyChart,
  drawRow,
  footer,
  header,
  M,
  printAmount,
  section,
  table,
  W,
  type Column,
  type Doc,
} from './pdf-layout';
import { runCsvSha256 } from './runs';

export { printAmount } from './pdf-layout';

export const CAMPAIGN = '#BullyingFreeInternet - MTS and UNICEF Belarus';

/**
 * The discrepancy table prints at most this many rows (~46 pages), in line order; the rest are
 * in the run's CSV (lines.csv), which the report points to. A PDF is for people to read and
 * sign; a run with more discrepancies than this is worked through in the CSV or the API.
 */
export const MAX_REPORT_DISCREPANCIES = 2000;

export interface ReportOptions {
  runId: string;
  /** Only this fund's totals (default: every fund). */
  fund?: string;
  /** Called every few discrepancy rows with the rows drawn so far. */
  onProgress?: (discrepancyRows: number) => void;
}

export interface ReportResult {
  pages: number;
  csvSha256: string;
  /** Discrepancy rows printed (at most MAX_REPORT_DISCREPANCIES). */
  discrepancies: number;
}

type Totals = (FundTotalsRow & { fund: string })[];
type GroupBy = 'currency' | 'channel' | 'office' | 'day';

/** Everything the report shows except the discrepancy rows, read before the first byte. */
interface ReportData {
  run: RunView;
  funds: { slug: string; name: string }[];
  csvSha256: string;
  totals: Record<GroupBy, Totals>;
  /** Discrepancies of the run, and how many of them the table prints. */
  discrepancies: number;
  printed: number;
}

async function loadReport(db: Db, options: ReportOptions): Promise<ReportData> {
  const run = await findRun(db, options.runId);
  if (!run) throw new Error(`no reconciliation run ${options.runId}`);
  const all = await listFunds(db);
  const funds = options.fund ? all.filter((f) => f.slug === options.fund) : all;
  const period = { from: new Date(run.from), to: new Date(run.to) };
  const totals = {} as Record<GroupBy, Totals>;
  for (const groupBy of ['currency', 'channel', 'office', 'day'] as const) {
    const perFund = await Promise.all(
      funds.map(async ({ slug }) =>
        (await fundTotals(db, { fund: slug, groupBy, ...period })).map((t) => ({
          fund: slug,
          ...t,
        })),
      ),
    );
    totals[groupBy] = perFund.flat();
  }
  const discrepancies = run.summary?.discrepancies ?? 0;
  return {
    run,
    funds,
    csvSha256: await runCsvSha256(db, run),
    totals,
    discrepancies,
    printed: Math.min(discrepancies, MAX_REPORT_DISCREPANCIES),
  };
}

function newDocument(run: RunView): Doc {
  // No bufferPages: each page goes out as soon as it is drawn (its footer is drawn first).
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: M,
    autoFirstPage: false,
    info: { Title: `Reconciliation report ${run.id}`, Author: 'pledge-ledger', Subject: CAMPAIGN },
  });
  return useSuiteFonts(doc);
}

/**
 * The finance report of a reconciliation run as a stream (pdfkit): cover, fund totals per
 * currency, per channel and office, daily chart, discrepancy table, signatures; every page
 * carries "Page n of N" and the SHA-256 of the run's reconciliation CSV. Memory stays bounded
 * whatever the run's size: pages are drawn only as fast as the reader takes them, one page
 * held at a time, the table is capped, and the event loop gets a turn after each page (in the
 * embedded run the other services share it). A reader that goes away stops the rendering.
 */
export function reportStream(db: Db, options: ReportOptions, result?: ReportResult): Readable {
  return Readable.from(generateReport(db, options, result), { objectMode: false });
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

async function* generateReport(
  db: Db,
  options: ReportOptions,
  result?: ReportResult,
): AsyncGenerator<Buffer> {
  const data = await loadReport(db, options);
  const pages = await countPages(data);
  const doc = newDocument(data.run);
  const pending: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => pending.push(chunk));
  const take = () => Buffer.concat(pending.splice(0));
  let page = 0;
  doc.on('pageAdded', () => {
    page += 1;
    footer(
      doc,
      `Run ${data.run.id} - SHA-256 of the reconciliation CSV: ${data.csvSha256}`,
      page,
      pages,
    );
  });
  const lines = allRunLines(db, data.run.id, true, Math.min(1000, Math.max(1, data.printed)));
  let printed = 0;
  for await (const rows of render(doc, data, lines)) {
    printed = rows;
    options.onProgress?.(rows);
    const chunk = take();
    if (chunk.length > 0) yield chunk;
    await nextTurn();
  }
  const ended = once(doc, 'end');
  doc.end();
  await ended;
  yield take();
  if (result)
    Object.assign(result, { pages: page, csvSha256: data.csvSha256, discrepancies: printed });
}

/** The same layout without output or discrepancy rows: how many pages the report has. */
async function countPages(data: ReportData): Promise<number> {
  const doc = newDocument(data.run);
  doc.on('data', () => undefined);
  let pages = 0;
  doc.on('pageAdded', () => (pages += 1));
  for await (const _ of render(doc, data, null)) await nextTurn();
  // Not ended: ending would embed the fonts of a document nobody reads.
  return pages;
}

/**
 * Draws the report, yielding after each section and each page of the discrepancy table (the
 * number of discrepancy rows drawn so far). `lines` null: a dry run for the page count.
 */
async function* render(
  doc: Doc,
  data: ReportData,
  lines: AsyncIterable<StoredLine> | null,
): AsyncGenerator<number> {
  doc.addPage();
  cover(doc, data);
  section(doc, 'Fund totals per currency');
  table(
    doc,
    [
      { title: 'Fund', width: 170 },
      { title: 'Currency', width: 60 },
      { title: 'Gross', width: 90, align: 'right' },
      { title: 'Fees', width: 80, align: 'right' },
      { title: 'Fee covered', width: 80, align: 'right' },
      { title: 'Refunds', width: 80, align: 'right' },
      { title: 'Net', width: 90, align: 'right' },
      { title: 'Donations', width: 50, align: 'right' },
    ],
    data.totals.currency.map((t) => [t.fund, t.currency, ...figures(t)]),
  );
  for (const groupBy of ['channel', 'office'] as const) groupTable(doc, data, groupBy);
  yield 0;
  dailyChart(doc, data.totals.day, { from: new Date(data.run.from), to: new Date(data.run.to) });
  yield 0;
  let rows = 0;
  for await (const n of discrepancyTable(doc, data, lines)) yield (rows = n);
  signatures(doc);
  yield rows;
}

/** Gross, fees, fee covered, refunds, net, donations: the figures of every totals table. */
const figures = (t: FundTotalsRow) => [
  ...[t.gross, t.fees, t.coveredFees, t.refunds, t.net].map((minor) =>
    printAmount(minor, t.currency),
  ),
  String(t.count),
];

function groupTable(doc: Doc, data: ReportData, groupBy: 'channel' | 'office'): void {
  section(doc, `Fund totals per ${groupBy}`, false);
  table(
    doc,
    [
      { title: 'Fund', width: 150 },
      { title: groupBy === 'channel' ? 'Channel' : 'Office', width: 110 },
      { title: 'Currency', width: 55 },
      { title: 'Gross', width: 85, align: 'right' },
      { title: 'Fees', width: 75, align: 'right' },
      { title: 'Fee covered', width: 75, align: 'right' },
      { title: 'Refunds', width: 75, align: 'right' },
      { title: 'Net', width: 85, align: 'right' },
      { title: 'Donations', width: 50, align: 'right' },
    ],
    data.totals[groupBy].map((t) => [
      t.fund,
      t.group ?? (groupBy === 'office' ? '(online)' : '-'),
      t.currency,
      ...figures(t),
    ]),
  );
}

function cover(doc: Doc, data: ReportData): void {
  const { run } = data;
  doc.font(FONTS.bold).fontSize(24).text('Reconciliation report', M, 90);
  doc.moveDown(0.3).font(FONTS.regular).fontSize(14).text(CAMPAIGN);
  doc.moveDown(1.5).fontSize(11);
  const rows: [string, string][] = [
    ['Fund', data.funds.map((f) => `${f.name} (${f.slug})`).join(', ')],
    ['Period', `${run.from.slice(0, 10)} to ${run.to.slice(0, 10)} (end exclusive, UTC)`],
    ['Provider', run.provider ?? 'Stripe and PayPal'],
    ['Run id', run.id],
    ['Run started', run.startedAt],
    ['Status', run.status],
  ];
  for (const [k, v] of rows) {
    doc.font(FONTS.bold).text(`${k}:`, M, doc.y, { continued: true, width: 500 });
    doc.font(FONTS.regular).text(` ${v}`);
  }
  doc.moveDown(1).font(FONTS.bold).fontSize(13).text('Result', M);
  doc.font(FONTS.regular).fontSize(11);
  const counts = run.summary?.counts ?? {};
  for (const status of LINE_STATUSES) doc.text(`${status}: ${counts[status] ?? 0}`, M + 10);
  doc
    .moveDown(1)
    .fontSize(9)
    .fillColor('#555555')
    .text(
      'Amounts are as recorded in the ledger (fund totals) and in the provider statements (discrepancies). ' +
        'Net = gross - fees - refunds; refunds include lost disputes. Help for children: 8 800 100 16 11.',
      M,
      doc.y,
      { width: W - 2 * M },
    )
    .fillColor('black');
}

const DISCREPANCY_COLUMNS: Column[] = [
  { title: '#', width: 40, align: 'right' },
  { title: 'Provider', width: 45 },
  { title: 'Type', width: 70 },
  { title: 'Reference', width: 120 },
  { title: 'Status', width: 100 },
  { title: 'Provider amount', width: 85, align: 'right' },
  { title: 'Ledger amount', width: 85, align: 'right' },
  { title: 'Detail', width: 150 },
  { title: 'Resolution', width: 66 },
];

function discrepancyCells(l: StoredLine): string[] {
  return [
    String(l.lineNo),
    l.provider,
    l.type,
    l.ref,
    l.status,
    printAmount(l.statementGross, l.statementCurrency),
    printAmount(l.ledgerGross, l.ledgerCurrency),
    l.detail,
    l.resolution ? `${l.resolution.action}` : 'open',
  ];
}

const ROWS_PER_TURN = 8;

/** The first `data.printed` discrepancies; yields the rows drawn so far every few rows. */
async function* discrepancyTable(
  doc: Doc,
  data: ReportData,
  lines: AsyncIterable<StoredLine> | null,
): AsyncGenerator<number> {
  section(doc, 'Discrepancies');
  const rowHeight = 11;
  doc.fontSize(7.5);
  let y = header(doc, DISCREPANCY_COLUMNS, doc.y, rowHeight);
  let n = 0;
  const next = (line: StoredLine | null) => {
    if (y + rowHeight > BOTTOM) {
      doc.addPage();
      doc.fontSize(7.5);
      y = header(doc, DISCREPANCY_COLUMNS, M, rowHeight);
    }
    if (line) drawRow(doc, DISCREPANCY_COLUMNS, discrepancyCells(line), y);
    y += rowHeight;
    n += 1;
    return y + rowHeight > BOTTOM;
  };
  if (lines === null) {
    for (let i = 0; i < data.printed; i += 1) if (next(null)) yield n;
  } else {
    for await (const line of lines) {
      // A row with the embedded font costs ~1 ms of CPU: hand the loop back every few rows.
      if (next(line) || n % ROWS_PER_TURN === 0) yield n;
      if (n >= data.printed) break;
    }
  }
  if (n === 0) {
    doc.font(FONTS.regular).text('No discrepancies.', M + 2, y, { lineBreak: false });
    y += rowHeight;
  }
  doc.x = M;
  doc.y = y + 10;
  doc.font(FONTS.regular).fontSize(9);
  if (data.discrepancies > n)
    doc.text(
      `Showing the first ${n.toLocaleString('en')} of ${data.discrepancies.toLocaleString('en')} discrepancies (line order). ` +
        `All of them are in the run's reconciliation CSV: GET /reconciliation/runs/${data.run.id}/lines.csv ` +
        '(its SHA-256 is in the footer).',
      M,
      doc.y,
      { width: W - 2 * M },
    );
  else doc.text(`Discrepancies: ${n}`, M);
  yield n;
}

function signatures(doc: Doc): void {
  if (doc.y + 120 > BOTTOM) doc.addPage();
  doc.moveDown(2).font(FONTS.bold).fontSize(11).text('Signatures', M);
  doc.font(FONTS.regular).fontSize(10).moveDown(1);
  const y = doc.y;
  for (const [i, who] of ['Prepared by (finance)', 'Approved by (UNICEF Belarus)'].entries()) {
    const x = M + i * 360;
    doc.text(who, x, y, { lineBreak: false });
    doc
      .moveTo(x, y + 40)
      .lineTo(x + 300, y + 40)
      .lineWidth(0.5)
      .stroke();
    doc
      .fontSize(8)
      .text('Name, signature, date', x, y + 44, { lineBreak: false })
      .fontSize(10);
  }
}

import { FONTS } from '@bfi/pdf-fonts';
import PDFDocument from 'pdfkit';
import type { FundTotalsRow } from '../../ledger';
import type { DiscrepancyTotal, ReportLine } from '../db/report-reads';
import type { RunView } from '../db/reconciliation-repo';
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

// The finance report's pages, drawn from data read beforehand (pdf.ts): no database here, so
// this runs in a worker thread (pdf-worker.ts). Imports stay light for the worker's start:
// types only from the ledger and the db layer.

export const CAMPAIGN = '#BullyingFreeInternet - MTS and UNICEF Belarus';

export type Totals = (FundTotalsRow & { fund: string })[];

/** Everything the report prints, as plain data (it crosses to the worker thread). */
export interface ReportData {
  run: RunView;
  funds: { slug: string; name: string }[];
  /** Line statuses in the order the cover lists them. */
  statuses: readonly string[];
  csvSha256: string;
  totals: Record<'currency' | 'channel' | 'office' | 'day', Totals>;
  /** Every discrepancy of the run, summed per status and currency (SQL GROUP BY). */
  discrepancyTotals: DiscrepancyTotal[];
  /** All discrepancies of the run, and the largest of them that the table prints. */
  discrepancies: number;
  rows: ReportLine[];
}

/** The suite's fonts as parsed font objects (fontkit): parsed once, shared by both passes. */
export interface ParsedFonts {
  regular: unknown;
  bold: unknown;
  mono: unknown;
}

export function newDocument(run: RunView, fonts: ParsedFonts): Doc {
  // No bufferPages: each page goes out as soon as it is drawn (its footer is drawn first).
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: M,
    autoFirstPage: false,
    info: { Title: `Reconciliation report ${run.id}`, Author: 'pledge-ledger', Subject: CAMPAIGN },
  });
  // pdfkit takes a fontkit font object as well as a path (@types/pdfkit only knows the path).
  const register = doc.registerFont.bind(doc) as (name: string, font: unknown) => void;
  register(FONTS.regular, fonts.regular);
  register(FONTS.bold, fonts.bold);
  register(FONTS.mono, fonts.mono);
  for (const name of [FONTS.mono, FONTS.bold, FONTS.regular]) shareLayouts(doc.font(name), name);
  return doc;
}

/** Most words a font's shared layout cache holds before it starts again (a few MiB at most). */
const LAYOUT_CACHE_WORDS = 20_000;
const layouts = new Map<string, Record<string, unknown>>();

/**
 * pdfkit shapes every word once per document (fontkit's GSUB/GPOS run, most of a row's cost)
 * and keeps the result in its font object's `layoutCache`, which dies with the document. The
 * thread's documents share one cache per font instead (the parsed fonts are the same objects),
 * so the dry pass, the real pass and the next report reuse the words already shaped: column
 * titles, statuses, amounts, details. Bounded: past LAYOUT_CACHE_WORDS it is dropped and
 * refills from the next document.
 */
function shareLayouts(doc: Doc, name: string): void {
  const font = (doc as unknown as { _font: { layoutCache?: Record<string, unknown> } })._font;
  if (!font.layoutCache) return; // fontLayoutCache: false, or a standard font
  let cache = layouts.get(name);
  if (!cache || Object.keys(cache).length > LAYOUT_CACHE_WORDS) {
    cache = Object.create(null) as Record<string, unknown>;
    layouts.set(name, cache);
  }
  font.layoutCache = cache;
}

/**
 * Draws the whole report, yielding after each section and each page of the discrepancy table
 * (the number of table rows drawn so far): where the caller sends the bytes out. `dry`: the
 * table's rows are not drawn (each has a fixed height), for the pass that counts the pages.
 */
export function* drawReport(doc: Doc, data: ReportData, dry = false): Generator<number> {
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
  discrepancySummary(doc, data);
  yield 0;
  yield* discrepancyTable(doc, data, dry);
  signatures(doc);
  yield data.rows.length;
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
  for (const status of data.statuses) doc.text(`${status}: ${counts[status] ?? 0}`, M + 10);
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

/** Every discrepancy of the run summed per status and currency: the table below may be cut. */
function discrepancySummary(doc: Doc, data: ReportData): void {
  section(doc, 'Discrepancies: totals of all lines');
  const gross = (minor: number, currency: string | null) =>
    currency === null ? '' : printAmount(minor, currency);
  table(
    doc,
    [
      { title: 'Status', width: 140 },
      { title: 'Lines', width: 70, align: 'right' },
      { title: 'Provider gross', width: 130, align: 'right' },
      { title: 'Ledger gross', width: 130, align: 'right' },
      { title: 'Gross difference', width: 140, align: 'right' },
      { title: 'Fee difference', width: 140, align: 'right' },
    ],
    data.discrepancyTotals.map((t) => {
      const same = t.statementCurrency !== null && t.statementCurrency === t.ledgerCurrency;
      return [
        t.status,
        t.lines.toLocaleString('en'),
        gross(t.statementGross, t.statementCurrency),
        gross(t.ledgerGross, t.ledgerCurrency),
        same ? gross(t.grossDifference, t.statementCurrency) : '',
        same ? gross(t.feeDifference, t.statementCurrency) : '',
      ];
    }),
  );
  doc.font(FONTS.regular).fontSize(9);
  doc.text(
    `Discrepancies: ${data.discrepancies.toLocaleString('en')}. Differences are provider minus ledger, ` +
      'for lines with both sides in one currency; sums of the columns of the same name in lines.csv.',
    M,
    doc.y,
    { width: W - 2 * M },
  );
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

const discrepancyCells = (l: ReportLine): string[] => [
  String(l.lineNo),
  l.provider,
  l.type,
  l.ref,
  l.status,
  printAmount(l.statementGross, l.statementCurrency),
  printAmount(l.ledgerGross, l.ledgerCurrency),
  l.detail,
  l.resolution ?? 'open',
];

/** The largest discrepancies; yields the rows drawn so far after each page. */
function* discrepancyTable(doc: Doc, data: ReportData, dry: boolean): Generator<number> {
  const shown = data.rows.length;
  const cut = data.discrepancies > shown;
  const title = cut ? `Discrepancies: the ${shown.toLocaleString('en')} largest` : 'Discrepancies';
  section(doc, title, false); // below the totals, on the same page
  const rowHeight = 11;
  doc.fontSize(7.5);
  let y = header(doc, DISCREPANCY_COLUMNS, doc.y, rowHeight);
  for (const [i, line] of data.rows.entries()) {
    if (y + rowHeight > BOTTOM) {
      yield i;
      doc.addPage();
      doc.fontSize(7.5);
      y = header(doc, DISCREPANCY_COLUMNS, M, rowHeight);
    }
    if (!dry) drawRow(doc, DISCREPANCY_COLUMNS, discrepancyCells(line), y);
    y += rowHeight;
  }
  if (shown === 0) {
    doc.font(FONTS.regular).text('No discrepancies.', M + 2, y, { lineBreak: false });
    y += rowHeight;
  }
  doc.x = M;
  doc.y = y + 10;
  doc.font(FONTS.regular).fontSize(9);
  if (cut)
    doc.text(
      `... and ${(data.discrepancies - shown).toLocaleString('en')} more: see the CSV export. ` +
        `This table shows the ${shown.toLocaleString('en')} largest of ${data.discrepancies.toLocaleString('en')} ` +
        "discrepancies (by gross or fee difference); all of them are in the run's reconciliation CSV: " +
        `GET /reconciliation/runs/${data.run.id}/lines.csv (its SHA-256 is in the footer).`,
      M,
      doc.y,
      { width: W - 2 * M },
    );
  else doc.text(`Discrepancies: ${shown}`, M);
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

/** Run id, CSV digest and "Page n of N" on every page as it is added. */
export function withFooters(doc: Doc, data: ReportData, pages: number): () => number {
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
  return () => page;
}

import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { formatMoney, isCurrency } from '@bfi/money';
import PDFDocument from 'pdfkit';
import { LINE_STATUSES } from '../domain';
import type { Db } from '../db/client';
import { listFunds } from '../db/funds-repo';
import { allRunLines, findRun, type RunView, type StoredLine } from '../db/reconciliation-repo';
import { fundTotals, type FundTotalsRow } from '../db/totals-repo';
import { reconciliationCsv, sha256Of } from './exports';

export const CAMPAIGN = '#BullyingFreeInternet - MTS and UNICEF Belarus';

export interface ReportOptions {
  runId: string;
  /** Only this fund's totals (default: every fund). */
  fund?: string;
  onProgress?: (discrepancyRows: number) => void;
}

export interface ReportResult {
  pages: number;
  csvSha256: string;
  discrepancies: number;
}

/** Amount as printed everywhere in the report: "1,234.50 BYN" (minor units if unknown currency). */
export function printAmount(minor: number | null, currency: string | null): string {
  if (minor === null || currency === null) return '';
  return isCurrency(currency) ? formatMoney({ minor, currency }, 'en') : `${minor} ${currency}`;
}

// A4 landscape, points.
const W = 841.89;
const H = 595.28;
const M = 40;
const BOTTOM = H - 50;

type Doc = PDFKit.PDFDocument;

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/**
 * The finance report of a reconciliation run (pdfkit): cover, fund totals per currency, per
 * channel and office, daily chart, discrepancy table, signatures; every page carries its
 * number and the SHA-256 of the run's reconciliation CSV. Written to `out` as it is built.
 */
export async function renderReport(
  db: Db,
  options: ReportOptions,
  out: Writable,
): Promise<ReportResult> {
  const run = await findRun(db, options.runId);
  if (!run) throw new Error(`no reconciliation run ${options.runId}`);
  const csvSha256 = await sha256Of(reconciliationCsv(db, run.id));
  const funds = options.fund ? [options.fund] : (await listFunds(db)).map((f) => f.slug);
  const period = { from: new Date(run.from), to: new Date(run.to) };
  const totals = async (groupBy: 'currency' | 'channel' | 'office' | 'day') =>
    (
      await Promise.all(
        funds.map(async (fund) =>
          (await fundTotals(db, { fund, groupBy, ...period })).map((t) => ({ fund, ...t })),
        ),
      )
    ).flat();

  const doc: Doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: M,
    bufferPages: true,
    info: {
      Title: `Reconciliation report ${run.id}`,
      Author: 'pledge-ledger',
      Subject: CAMPAIGN,
    },
  });
  doc.pipe(out);
  const done = finished(out);

  cover(doc, run, funds);
  const byCurrency = await totals('currency');
  section(doc, 'Fund totals per currency');
  table(
    doc,
    [
      { title: 'Fund', width: 170 },
      { title: 'Currency', width: 60 },
      { title: 'Gross', width: 105, align: 'right' },
      { title: 'Fees', width: 95, align: 'right' },
      { title: 'Refunds', width: 95, align: 'right' },
      { title: 'Net', width: 105, align: 'right' },
      { title: 'Donations', width: 70, align: 'right' },
    ],
    byCurrency.map((t) => [
      t.fund,
      t.currency,
      printAmount(t.gross, t.currency),
      printAmount(t.fees, t.currency),
      printAmount(t.refunds, t.currency),
      printAmount(t.net, t.currency),
      String(t.count),
    ]),
  );
  for (const groupBy of ['channel', 'office'] as const) {
    section(doc, `Fund totals per ${groupBy}`, false);
    table(
      doc,
      [
        { title: 'Fund', width: 150 },
        { title: groupBy === 'channel' ? 'Channel' : 'Office', width: 110 },
        { title: 'Currency', width: 55 },
        { title: 'Gross', width: 100, align: 'right' },
        { title: 'Fees', width: 90, align: 'right' },
        { title: 'Refunds', width: 90, align: 'right' },
        { title: 'Net', width: 100, align: 'right' },
        { title: 'Donations', width: 60, align: 'right' },
      ],
      (await totals(groupBy)).map((t) => [
        t.fund,
        t.group ?? (groupBy === 'office' ? '(online)' : '-'),
        t.currency,
        printAmount(t.gross, t.currency),
        printAmount(t.fees, t.currency),
        printAmount(t.refunds, t.currency),
        printAmount(t.net, t.currency),
        String(t.count),
      ]),
    );
  }
  dailyChart(doc, await totals('day'), period);
  const discrepancies = await discrepancyTable(doc, db, run.id, options.onProgress);
  signatures(doc);
  const pages = footers(doc, run.id, csvSha256);
  doc.end();
  await done;
  return { pages, csvSha256, discrepancies };
}

function cover(doc: Doc, run: RunView, funds: string[]): void {
  doc.font('Helvetica-Bold').fontSize(24).text('Reconciliation report', M, 90);
  doc.moveDown(0.3).font('Helvetica').fontSize(14).text(CAMPAIGN);
  doc.moveDown(1.5).fontSize(11);
  const rows: [string, string][] = [
    ['Fund', funds.join(', ')],
    ['Period', `${run.from.slice(0, 10)} to ${run.to.slice(0, 10)} (end exclusive, UTC)`],
    ['Provider', run.provider ?? 'Stripe and PayPal'],
    ['Run id', run.id],
    ['Run started', run.startedAt],
    ['Status', run.status],
  ];
  for (const [k, v] of rows) {
    doc.font('Helvetica-Bold').text(`${k}:`, M, doc.y, { continued: true, width: 500 });
    doc.font('Helvetica').text(` ${v}`);
  }
  doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text('Result', M);
  doc.font('Helvetica').fontSize(11);
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

/** A section title: on a new page, or below the previous section when there is room. */
function section(doc: Doc, title: string, newPage = true): void {
  if (newPage || doc.y > BOTTOM - 120) {
    doc.addPage();
    doc.y = M;
  } else doc.moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(15).text(title, M, doc.y);
  doc.moveDown(0.5);
}

function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width - 4) return text;
  let s = text;
  while (s.length > 1 && doc.widthOfString(`${s}...`) > width - 4) s = s.slice(0, -1);
  return `${s}...`;
}

function drawRow(doc: Doc, columns: Column[], cells: string[], y: number, bold = false): void {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
  let x = M;
  columns.forEach((c, i) => {
    doc.text(fit(doc, cells[i] ?? '', c.width), x + 2, y, {
      width: c.width - 4,
      align: c.align ?? 'left',
      lineBreak: false,
    });
    x += c.width;
  });
}

/** A table that continues on new pages, header repeated. Returns the y after it. */
function table(doc: Doc, columns: Column[], rows: string[][], size = 9, rowHeight = 14): number {
  doc.fontSize(size);
  let y = doc.y;
  const header = () => {
    drawRow(
      doc,
      columns,
      columns.map((c) => c.title),
      y,
      true,
    );
    const total = columns.reduce((n, c) => n + c.width, 0);
    doc
      .moveTo(M, y + rowHeight - 3)
      .lineTo(M + total, y + rowHeight - 3)
      .lineWidth(0.5)
      .stroke();
    y += rowHeight;
  };
  header();
  if (rows.length === 0) {
    doc.font('Helvetica-Oblique').text('(none)', M + 2, y, { lineBreak: false });
    y += rowHeight;
  }
  for (const row of rows) {
    if (y + rowHeight > BOTTOM) {
      doc.addPage();
      y = M;
      header();
    }
    drawRow(doc, columns, row, y);
    y += rowHeight;
  }
  doc.x = M;
  doc.y = y + 6;
  return y;
}

const DAY = 24 * 3600_000;

/** Bars of daily gross (dark) and net (light) per currency, summed over the report's funds. */
function dailyChart(
  doc: Doc,
  rows: (FundTotalsRow & { fund: string })[],
  period: { from: Date; to: Date },
): void {
  section(doc, 'Daily totals');
  const byCurrency = new Map<string, Map<string, { gross: number; net: number }>>();
  for (const r of rows) {
    const days = byCurrency.get(r.currency) ?? new Map<string, { gross: number; net: number }>();
    const d = days.get(r.group ?? '') ?? { gross: 0, net: 0 };
    days.set(r.group ?? '', { gross: d.gross + r.gross, net: d.net + r.net });
    byCurrency.set(r.currency, days);
  }
  const dayCount = Math.min(366, Math.max(1, Math.round((+period.to - +period.from) / DAY)));
  const dates = Array.from({ length: dayCount }, (_, i) =>
    new Date(+period.from + i * DAY).toISOString().slice(0, 10),
  );
  if (byCurrency.size === 0) {
    doc.font('Helvetica-Oblique').fontSize(10).text('No donations in the period.', M);
    return;
  }
  const chartH = byCurrency.size > 1 ? 170 : 380;
  for (const [currency, days] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    if (doc.y + chartH + 40 > BOTTOM) {
      doc.addPage();
      doc.y = M;
    }
    const top = doc.y + 18;
    const max = Math.max(1, ...[...days.values()].map((d) => d.gross));
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .text(`${currency}: gross (dark) and net (light) per day`, M, doc.y);
    doc
      .font('Helvetica')
      .fontSize(7)
      .text(printAmount(max, currency), M, top - 4, { width: 70, lineBreak: false });
    const left = M + 75;
    const width = W - M - left;
    const slot = width / dates.length;
    doc
      .moveTo(left, top)
      .lineTo(left, top + chartH)
      .lineTo(left + width, top + chartH)
      .lineWidth(0.5)
      .stroke('#333333');
    dates.forEach((date, i) => {
      const d = days.get(date);
      const x = left + i * slot;
      if (d) {
        const gh = (Math.max(0, d.gross) / max) * chartH;
        const nh = (Math.max(0, d.net) / max) * chartH;
        doc.rect(x + slot * 0.1, top + chartH - gh, slot * 0.4, gh).fill('#1f4e79');
        doc.rect(x + slot * 0.5, top + chartH - nh, slot * 0.4, nh).fill('#9dc3e6');
      }
      const every = Math.ceil(dates.length / 12);
      if (i % every === 0)
        doc
          .fillColor('black')
          .fontSize(7)
          .text(date, x, top + chartH + 4, { width: 60, lineBreak: false });
    });
    doc.fillColor('black');
    doc.x = M;
    doc.y = top + chartH + 20;
  }
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

async function discrepancyTable(
  doc: Doc,
  db: Db,
  runId: string,
  onProgress?: (n: number) => void,
): Promise<number> {
  section(doc, 'Discrepancies');
  const size = 7.5;
  const rowHeight = 11;
  doc.fontSize(size);
  let y = doc.y;
  const header = () => {
    doc.fontSize(size);
    drawRow(
      doc,
      DISCREPANCY_COLUMNS,
      DISCREPANCY_COLUMNS.map((c) => c.title),
      y,
      true,
    );
    doc
      .moveTo(M, y + rowHeight - 2)
      .lineTo(W - M, y + rowHeight - 2)
      .lineWidth(0.5)
      .stroke();
    y += rowHeight;
  };
  header();
  let n = 0;
  for await (const line of allRunLines(db, runId, true)) {
    if (y + rowHeight > BOTTOM) {
      doc.addPage();
      y = M;
      header();
    }
    drawRow(doc, DISCREPANCY_COLUMNS, discrepancyCells(line), y);
    y += rowHeight;
    n += 1;
    if (onProgress && n % 1000 === 0) onProgress(n);
  }
  if (n === 0) {
    doc.font('Helvetica-Oblique').text('No discrepancies.', M + 2, y, { lineBreak: false });
    y += rowHeight;
  }
  doc.x = M;
  doc.y = y + 10;
  doc.font('Helvetica').fontSize(9).text(`Discrepancies: ${n}`, M);
  return n;
}

function signatures(doc: Doc): void {
  if (doc.y + 120 > BOTTOM) doc.addPage();
  doc.moveDown(2).font('Helvetica-Bold').fontSize(11).text('Signatures', M);
  doc.font('Helvetica').fontSize(10).moveDown(1);
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

/** Page numbers and the CSV's SHA-256 on every page (pages are buffered until here). */
function footers(doc: Doc, runId: string, sha: string): number {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the margin must not open a new page
    doc.font('Helvetica').fontSize(7).fillColor('#444444');
    doc.text(`Run ${runId} - SHA-256 of the reconciliation CSV: ${sha}`, M, H - 28, {
      width: W - 2 * M - 90,
      lineBreak: false,
    });
    doc.text(`Page ${i + 1} of ${range.count}`, W - M - 90, H - 28, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
  return range.count;
}

import { FONTS } from '@bfi/pdf-fonts';
import { formatMoney, isCurrency } from '@bfi/money';
import type { FundTotalsRow } from '../../ledger';

// Drawing primitives of the finance report (pdfkit, A4 landscape, points). Every row has a
// fixed height and never wraps, so where pages break depends only on how many rows there are:
// the report counts its pages with a dry run before it draws the first one.

export const W = 841.89;
export const H = 595.28;
export const M = 40;
export const BOTTOM = H - 50;

export type Doc = PDFKit.PDFDocument;

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/** Amount as printed everywhere in the report: "1,234.50 BYN" (minor units if unknown currency). */
export function printAmount(minor: number | null, currency: string | null): string {
  if (minor === null || currency === null) return '';
  const key = `${minor} ${currency}`;
  let printed = printed_.get(key);
  if (printed === undefined) {
    // formatMoney builds an Intl.NumberFormat per call: a seventh of a report's CPU uncached.
    printed = isCurrency(currency) ? formatMoney({ minor, currency }, 'en') : key;
    if (printed_.size >= PRINTED_AMOUNTS) printed_.clear();
    printed_.set(key, printed);
  }
  return printed;
}

/** Amounts kept printed (a report repeats few distinct ones); bounded, cleared when full. */
const PRINTED_AMOUNTS = 10_000;
const printed_ = new Map<string, string>();

/** A section title: on a new page, or below the previous section when there is room. */
export function section(doc: Doc, title: string, newPage = true): void {
  if (newPage || doc.y > BOTTOM - 120) {
    doc.addPage();
    doc.y = M;
  } else doc.moveDown(1.5);
  doc.font(FONTS.bold).fontSize(15).text(title, M, doc.y);
  doc.moveDown(0.5);
}

/**
 * The text, or its longest prefix + "..." that fits, and its width (binary search: measuring a
 * new word with an embedded font costs a font shaping run).
 */
function fit(doc: Doc, text: string, width: number): { text: string; width: number } {
  const whole = doc.widthOfString(text);
  if (whole <= width - 4) return { text, width: whole };
  let [lo, hi] = [1, text.length - 1];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid)}...`) <= width - 4) lo = mid;
    else hi = mid - 1;
  }
  const cut = `${text.slice(0, lo)}...`;
  return { text: cut, width: doc.widthOfString(cut) };
}

/**
 * One row of cells on one line. Each cell is placed at its measured x with no width option:
 * given a width, pdfkit runs its line wrapper, which measures every word again, and a cell
 * that already fits has nothing to wrap (about a third of a row's cost).
 */
export function drawRow(
  doc: Doc,
  columns: Column[],
  cells: string[],
  y: number,
  bold = false,
): void {
  doc.font(bold ? FONTS.bold : FONTS.regular);
  let x = M;
  columns.forEach((c, i) => {
    const cell = fit(doc, cells[i] ?? '', c.width);
    const left = c.align === 'right' ? x + c.width - 2 - cell.width : x + 2;
    doc.text(cell.text, left, y, { lineBreak: false });
    x += c.width;
  });
}

/** The header row of a table, underlined; returns the y below it. */
export function header(doc: Doc, columns: Column[], y: number, rowHeight: number): number {
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
  return y + rowHeight;
}

/** A table that continues on new pages, header repeated. */
export function table(doc: Doc, columns: Column[], rows: string[][], size = 9, rowHeight = 14) {
  doc.fontSize(size);
  let y = header(doc, columns, doc.y, rowHeight);
  if (rows.length === 0) {
    doc.font(FONTS.regular).text('(none)', M + 2, y, { lineBreak: false });
    y += rowHeight;
  }
  for (const row of rows) {
    if (y + rowHeight > BOTTOM) {
      doc.addPage();
      doc.fontSize(size); // the footer drawn on the new page left its own size
      y = header(doc, columns, M, rowHeight);
    }
    drawRow(doc, columns, row, y);
    y += rowHeight;
  }
  doc.x = M;
  doc.y = y + 6;
}

/** Run id, the CSV's SHA-256 and "Page n of N", inside the bottom margin of the current page. */
export function footer(doc: Doc, text: string, page: number, pages: number): void {
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0; // writing inside the margin must not open a new page
  doc.font(FONTS.regular).fontSize(7).fillColor('#444444');
  doc.text(text, M, H - 28, { width: W - 2 * M - 90, lineBreak: false });
  doc.text(`Page ${page} of ${pages}`, W - M - 90, H - 28, {
    width: 90,
    align: 'right',
    lineBreak: false,
  });
  doc.fillColor('black');
  doc.page.margins.bottom = bottom;
  doc.x = M;
  doc.y = M;
}

const DAY = 24 * 3600_000;

/** Bars of daily gross (dark) and net (light) per currency, summed over the report's funds. */
export function dailyChart(
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
    doc.font(FONTS.regular).fontSize(10).text('No donations in the period.', M);
    return;
  }
  const chartH = byCurrency.size > 1 ? 170 : 380;
  for (const [currency, days] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    if (doc.y + chartH + 40 > BOTTOM) {
      doc.addPage();
      doc.y = M;
    }
    bars(doc, currency, days, dates, chartH);
  }
}

function bars(
  doc: Doc,
  currency: string,
  days: Map<string, { gross: number; net: number }>,
  dates: string[],
  chartH: number,
): void {
  const top = doc.y + 18;
  const max = Math.max(1, ...[...days.values()].map((d) => d.gross));
  doc.font(FONTS.bold).fontSize(10).text(`${currency}: gross (dark) and net (light) per day`, M);
  doc
    .font(FONTS.regular)
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
  const every = Math.ceil(dates.length / 12);
  dates.forEach((date, i) => {
    const d = days.get(date);
    const x = left + i * slot;
    if (d) {
      const gh = (Math.max(0, d.gross) / max) * chartH;
      const nh = (Math.max(0, d.net) / max) * chartH;
      doc.rect(x + slot * 0.1, top + chartH - gh, slot * 0.4, gh).fill('#1f4e79');
      doc.rect(x + slot * 0.5, top + chartH - nh, slot * 0.4, nh).fill('#9dc3e6');
    }
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

// A monthly donor's annual summary: the year's paid installments (receipt number, date,
// amount) and their total per currency, as a PDF in the donor's language, e-mailed on request.
// Sent at once through the SMTP server; a failure answers 503 so the donor can ask again
// (nothing is half-sent: the mail goes out whole or not at all).
import { HttpProblem } from '@bfi/http';
import { formatMoney, type Money } from '@bfi/money';
import { FONTS, useSuiteFonts } from '@bfi/pdf-fonts';
import {
  CAMPAIGN_TIME_ZONE,
  DEFAULT_RECEIPT_LOCALE,
  fill,
  fundName,
  isReceiptLocale,
  type ReceiptLocale,
} from '@bfi/receipts';
import PDFDocument from 'pdfkit';
import type { Subscription } from '../db/generated/client';
import { money } from '../db/repository';
import { isPaid, type DonationStatus } from '../domain/donation';
import type { AppDeps } from './deps';
import { MONTHLY_TEXT } from './monthly-text';

export interface SummaryLine {
  installment: number;
  receiptNumber: string;
  issuedAt: Date;
  amount: Money;
}

/** Minsk's calendar year (UTC+3 all year), as the receipts' numbers count it. */
function yearBounds(year: number): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(year, 0, 1) - 3 * 3600_000),
    to: new Date(Date.UTC(year + 1, 0, 1) - 3 * 3600_000),
  };
}

export async function summaryLines(
  deps: AppDeps,
  subscriptionId: string,
  year: number,
): Promise<SummaryLine[]> {
  const { from, to } = yearBounds(year);
  const rows = await deps.db.donation.findMany({
    where: { subscriptionId, receiptIssuedAt: { gte: from, lt: to } },
    orderBy: { installment: 'asc' },
  });
  return rows
    .filter((r) => isPaid(r.status as DonationStatus) && r.receiptNumber && r.receiptIssuedAt)
    .map((r) => ({
      installment: r.installment ?? 1,
      receiptNumber: r.receiptNumber!,
      issuedAt: r.receiptIssuedAt!,
      amount: money(Number(r.amountMinor) - Number(r.refundedMinor), r.currency),
    }));
}

function totals(lines: SummaryLine[]): Money[] {
  const sums = new Map<string, number>();
  for (const l of lines)
    sums.set(l.amount.currency, (sums.get(l.amount.currency) ?? 0) + l.amount.minor);
  return [...sums].map(([currency, minor]) => ({ minor, currency: currency as Money['currency'] }));
}

export function summaryPdf(
  sub: Subscription,
  year: number,
  lines: SummaryLine[],
  locale: ReceiptLocale,
): Promise<Buffer> {
  const t = MONTHLY_TEXT[locale];
  const doc = useSuiteFonts(new PDFDocument({ size: 'A4', margin: 56 }));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const date = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeZone: CAMPAIGN_TIME_ZONE,
  });
  doc.font(FONTS.bold).fontSize(20).text('#BullyingFreeInternet');
  doc
    .moveDown(0.8)
    .fontSize(16)
    .text(fill(t.summaryTitle, { year: String(year) }));
  doc.font(FONTS.regular).fontSize(11).text(fundName(locale, sub.fund));
  if (sub.donorName) doc.text(sub.donorName);
  doc.moveDown(1);
  if (lines.length === 0) doc.text(t.summaryNone);
  doc.font(FONTS.bold).text(t.columns.join('   ·   '));
  for (const l of lines)
    doc
      .font(FONTS.regular)
      .text(
        [
          String(l.installment),
          date.format(l.issuedAt),
          l.receiptNumber,
          formatMoney(l.amount, locale),
        ].join('   ·   '),
      );
  doc.moveDown(1).font(FONTS.bold);
  for (const total of totals(lines)) doc.text(`${t.summaryTotal}: ${formatMoney(total, locale)}`);
  doc.end();
  return done;
}

export async function sendAnnualSummary(
  deps: AppDeps,
  sub: Subscription,
  year: number,
): Promise<void> {
  const locale = isReceiptLocale(sub.locale) ? sub.locale : DEFAULT_RECEIPT_LOCALE;
  const t = MONTHLY_TEXT[locale];
  const lines = await summaryLines(deps, sub.id, year);
  const pdf = await summaryPdf(sub, year, lines, locale);
  const body = fill(t.summaryBody, { year: String(year) });
  try {
    await deps.mailer.sendNow({
      to: sub.donorEmail!,
      subject: fill(t.summarySubject, { year: String(year) }),
      text: `${body}\n`,
      html: `<p>${body}</p>`,
      messageId: `<summary-${sub.id}-${year}-${Date.now()}@bullyingfreeinternet.example>`,
      attachment: {
        filename: `monthly-gifts-${year}.pdf`,
        content: pdf,
        contentType: 'application/pdf',
      },
    });
  } catch (err) {
    deps.logger.warn({ err: String(err), subscriptionId: sub.id }, 'annual summary not sent');
    throw new HttpProblem(
      503,
      'Service unavailable',
      'The summary could not be e-mailed just now. Please ask again in a few minutes.',
      { code: 'mail-unavailable' },
      { 'retry-after': '60' },
    );
  }
}

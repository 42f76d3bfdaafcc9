// The donor's receipt as a PDF, in the donor's language. The font is the suite's DejaVu Sans, so
// Belarusian and Russian text (and the donor's name in any script it covers) prints correctly.
import { FONTS, useSuiteFonts } from '@bfi/pdf-fonts';
import PDFDocument from 'pdfkit';
import { fundName, giftOf, receiptAmount, receiptDate, type ReceiptData } from './receipt';
import { HELPLINE, RECEIPT_TEXT, type ReceiptLocale } from './text';

export interface ReceiptPdfInput {
  receipt: ReceiptData;
  locale: ReceiptLocale;
  /** Where the "anonymous free counselling" link goes. */
  counsellingUrl: string;
}

/** A covered fee is printed as its own row, with the gift that reaches the fund. */
function coveredFeeRows(r: ReceiptData, locale: ReceiptLocale): [string, string][] {
  const gift = giftOf(r);
  if (!gift || !r.coveredFee) return [];
  const t = RECEIPT_TEXT[locale].receipt;
  return [
    [t.coveredFee, receiptAmount(r.coveredFee, locale)],
    [t.gift, receiptAmount(gift, locale)],
  ];
}

export function receiptPdf(input: ReceiptPdfInput): Promise<Buffer> {
  const { receipt: r, locale } = input;
  const t = RECEIPT_TEXT[locale];
  const doc = useSuiteFonts(
    new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: `${t.receipt.title} ${r.number}`, Author: 'UNICEF Belarus · MTS' },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font(FONTS.bold).fontSize(22).text('#BullyingFreeInternet');
  doc.font(FONTS.regular).fontSize(11).fillColor('#444').text(t.receipt.campaign);
  doc.moveDown(1.5).fillColor('#000').font(FONTS.bold).fontSize(18).text(t.receipt.title);
  doc.moveDown(0.5);
  const rows: [string, string][] = [
    [t.receipt.number, r.number],
    [t.receipt.date, receiptDate(r.issuedAt, locale)],
    [t.receipt.amount, receiptAmount(r.amount, locale)],
    ...coveredFeeRows(r, locale),
    [t.receipt.fund, fundName(locale, r.fund)],
    [t.receipt.donor, r.donorName ?? t.receipt.anonymous],
    ...(r.officeName ? ([[t.receipt.office, r.officeName]] as [string, string][]) : []),
    [t.receipt.reference, r.reference ?? '—'],
  ];
  for (const [label, value] of rows) {
    doc.moveDown(0.4).font(FONTS.regular).fontSize(10).fillColor('#555').text(label);
    doc.font(FONTS.bold).fontSize(13).fillColor('#000').text(value);
  }
  doc.moveDown(1.5).font(FONTS.regular).fontSize(11).text(t.receipt.thanks);
  doc.moveDown(0.8).fontSize(10).fillColor('#333').text(t.receipt.unicef).text(t.receipt.mts);
  doc.moveDown(1.2).font(FONTS.bold).fontSize(12).fillColor('#000').text(t.help.title);
  doc.font(FONTS.regular).fontSize(11).text(`${t.help.helpline} ${HELPLINE}`);
  // The link on a line of its own, so it is never broken in two.
  doc.text(`${t.help.counselling}:`).text(input.counsellingUrl, { link: input.counsellingUrl });
  doc.end();
  return done;
}

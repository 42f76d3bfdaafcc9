// The donor's receipt as a PDF, in the page language. The font is the suite's DejaVu Sans, so
// Belarusian and Russian text (and the donor's name in any script it covers) prints correctly.
import { FONTS, useSuiteFonts } from '@bfi/pdf-fonts';
import PDFDocument from 'pdfkit';
import type { Locale, T } from '../i18n';
import { fundName } from '../views/thanks';
import type { Donation } from './api';
import { dateTime, money } from './present';

export interface ReceiptInput {
  donation: Donation & { receipt: NonNullable<Donation['receipt']> };
  locale: Locale;
  t: T;
  counsellingUrl: string;
}

function providerReference(d: Donation): string {
  const refs = d.providerRefs;
  return (
    refs.paymentIntentId ??
    refs.captureId ??
    refs.chargeId ??
    refs.orderId ??
    refs.checkoutSessionId ??
    '—'
  );
}

export function receiptPdf(input: ReceiptInput): Promise<Buffer> {
  const { donation: d, locale, t } = input;
  const doc = useSuiteFonts(
    new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: `${t('receipt.title')} ${d.receipt.number}`, Author: 'UNICEF Belarus · MTS' },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );

  doc.font(FONTS.bold).fontSize(22).text('#BullyingFreeInternet');
  doc.font(FONTS.regular).fontSize(11).fillColor('#444').text(t('receipt.campaign'));
  doc.moveDown(1.5).fillColor('#000').font(FONTS.bold).fontSize(18).text(t('receipt.title'));
  doc.moveDown(0.5);
  const rows: [string, string][] = [
    [t('receipt.number'), d.receipt.number],
    [t('receipt.date'), dateTime(d.receipt.issuedAt, locale)],
    [t('receipt.amount'), money(d.amount, locale)],
    [t('receipt.fund'), fundName(t, d.fund)],
    [t('receipt.donor'), d.receipt.donorName ?? t('receipt.anonymous')],
    ...(d.officeName ? ([[t('receipt.office'), d.officeName]] as [string, string][]) : []),
    [t('receipt.reference'), providerReference(d)],
  ];
  for (const [label, value] of rows) {
    doc.moveDown(0.4).font(FONTS.regular).fontSize(10).fillColor('#555').text(label);
    doc.font(FONTS.bold).fontSize(13).fillColor('#000').text(value);
  }
  doc.moveDown(1.5).font(FONTS.regular).fontSize(11).text(t('receipt.thanks'));
  doc.moveDown(0.8).fontSize(10).fillColor('#333').text(t('receipt.unicef')).text(t('receipt.mts'));
  doc.moveDown(1.2).font(FONTS.bold).fontSize(12).fillColor('#000').text(t('help.title'));
  doc
    .font(FONTS.regular)
    .fontSize(11)
    .text(`${t('help.helpline')} 8 800 100 16 11`);
  doc.text(`${t('help.counselling')}: ${input.counsellingUrl}`);
  doc.end();
  return done;
}

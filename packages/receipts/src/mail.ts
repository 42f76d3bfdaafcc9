// The thank-you e-mail that carries the receipt: subject, plain text and a small HTML part, in
// the donor's language, with the help resources. The PDF is attached by the sender.
import { fundName, giftOf, receiptAmount, type ReceiptData } from './receipt';
import { fill, HELPLINE, RECEIPT_TEXT, type ReceiptLocale } from './text';

export interface ReceiptMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function coveredFeeSentence(receipt: ReceiptData, locale: ReceiptLocale): string[] {
  const gift = giftOf(receipt);
  if (!gift || !receipt.coveredFee) return [];
  return [
    fill(RECEIPT_TEXT[locale].mail.coveredFee, {
      fee: receiptAmount(receipt.coveredFee, locale),
      gift: receiptAmount(gift, locale),
    }),
  ];
}

export function receiptMail(
  receipt: ReceiptData,
  locale: ReceiptLocale,
  counsellingUrl: string,
): ReceiptMail {
  const t = RECEIPT_TEXT[locale];
  const values = { number: receipt.number, amount: receiptAmount(receipt.amount, locale) };
  const greeting = receipt.donorName
    ? fill(t.mail.greeting, { name: receipt.donorName })
    : t.mail.greetingAnonymous;
  const paragraphs = [
    greeting,
    `${fill(t.mail.body, values)} ${t.receipt.fund}: ${fundName(locale, receipt.fund)}.`,
    ...coveredFeeSentence(receipt, locale),
    fill(t.mail.attached, values),
    t.receipt.thanks,
  ];
  const help = [
    t.help.title,
    `${t.help.helpline} ${HELPLINE}`,
    `${t.help.counselling}: ${counsellingUrl}`,
  ];
  const text = [...paragraphs, help.join('\n'), `— ${t.mail.signature}`].join('\n\n') + '\n';
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<h2>${escapeHtml(t.help.title)}</h2>`,
    `<p>${escapeHtml(t.help.helpline)} <a href="tel:88001001611">${HELPLINE}</a></p>`,
    `<p><a href="${escapeHtml(counsellingUrl)}">${escapeHtml(t.help.counselling)}</a></p>`,
    `<p>— ${escapeHtml(t.mail.signature)}</p>`,
  ].join('\n');
  return { subject: fill(t.mail.subject, values), text, html };
}

// The words monthly gifts add to the donor's e-mails, in the donor's language (be, ru, en):
// the manage link under each installment's receipt, and the annual summary.
import { fill, type ReceiptLocale } from '@bfi/receipts';

export const MONTHLY_TEXT: Record<
  ReceiptLocale,
  {
    installment: string;
    manage: string;
    summarySubject: string;
    summaryBody: string;
    summaryTitle: string;
    summaryTotal: string;
    summaryNone: string;
    columns: [string, string, string, string];
  }
> = {
  be: {
    installment: 'Гэта {{n}}-ы штомесячны ўнёсак вашага ахвяравання.',
    manage: 'Змяніць суму або адмяніць штомесячнае ахвяраванне: {{url}}',
    summarySubject: 'Вашы штомесячныя ахвяраванні за {{year}} год',
    summaryBody: 'Дзякуй! Спіс вашых штомесячных ахвяраванняў за {{year}} год — у далучаным PDF.',
    summaryTitle: 'Штомесячныя ахвяраванні за {{year}} год',
    summaryTotal: 'Разам',
    summaryNone: 'У гэтым годзе ўнёскаў не было.',
    columns: ['№', 'Дата', 'Квітанцыя', 'Сума'],
  },
  ru: {
    installment: 'Это {{n}}-й ежемесячный взнос вашего пожертвования.',
    manage: 'Изменить сумму или отменить ежемесячное пожертвование: {{url}}',
    summarySubject: 'Ваши ежемесячные пожертвования за {{year}} год',
    summaryBody:
      'Спасибо! Список ваших ежемесячных пожертвований за {{year}} год — в приложенном PDF.',
    summaryTitle: 'Ежемесячные пожертвования за {{year}} год',
    summaryTotal: 'Итого',
    summaryNone: 'В этом году взносов не было.',
    columns: ['№', 'Дата', 'Квитанция', 'Сумма'],
  },
  en: {
    installment: 'This is installment {{n}} of your monthly gift.',
    manage: 'Change the amount or cancel your monthly gift: {{url}}',
    summarySubject: 'Your monthly gifts in {{year}}',
    summaryBody: 'Thank you! The list of your monthly gifts in {{year}} is in the attached PDF.',
    summaryTitle: 'Monthly gifts in {{year}}',
    summaryTotal: 'Total',
    summaryNone: 'There were no installments this year.',
    columns: ['No.', 'Date', 'Receipt', 'Amount'],
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The receipt e-mail of an installment: which one it is, and the manage link. */
export function withManageLink(
  mail: { subject: string; text: string; html: string },
  locale: ReceiptLocale,
  installment: number,
  url: string,
): { subject: string; text: string; html: string } {
  const t = MONTHLY_TEXT[locale];
  const lines = [fill(t.installment, { n: String(installment) }), fill(t.manage, { url })];
  const link = `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
  return {
    subject: mail.subject,
    text: `${mail.text}\n${lines.join('\n')}\n`,
    html: `${mail.html}\n<p>${escapeHtml(lines[0]!)}</p>\n<p>${escapeHtml(fill(t.manage, { url: '' }))}${link}</p>`,
  };
}

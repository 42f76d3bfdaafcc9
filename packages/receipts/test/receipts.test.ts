import pdfParse from 'pdf-parse';
import { receiptMail, receiptPdf, RECEIPT_LOCALES, type ReceiptData } from '../src';

const receipt: ReceiptData = {
  number: 'BFI-2026-000042',
  issuedAt: '2026-12-01T10:15:00.000Z',
  amount: { minor: 2550, currency: 'BYN' },
  fund: 'specialist-training',
  donorName: 'Алеся',
  officeName: 'МТС Мінск',
  reference: 'pi_123',
};
const HELP = 'https://help.example/counselling';

describe('receipt PDF', () => {
  it.each(RECEIPT_LOCALES)('prints number, amount, donor and help in %s', async (locale) => {
    const { text } = await pdfParse(await receiptPdf({ receipt, locale, counsellingUrl: HELP }));
    expect(text).toContain('BFI-2026-000042');
    const amount = { be: '25,50 BYN', ru: '25,50 BYN', en: '25.50 BYN' }[locale];
    expect(text.replace(/\s+/g, ' ')).toContain(amount);
    expect(text).toContain('Алеся');
    expect(text).toContain('МТС Мінск');
    expect(text).toContain('8 800 100 16 11');
    expect(text).toContain(HELP);
  });

  it('prints the campaign in the language asked for', async () => {
    const ru = (await pdfParse(await receiptPdf({ receipt, locale: 'ru', counsellingUrl: HELP })))
      .text;
    const be = (await pdfParse(await receiptPdf({ receipt, locale: 'be', counsellingUrl: HELP })))
      .text;
    expect(ru).toContain('Квитанция о пожертвовании');
    expect(be).toContain('Квітанцыя аб ахвяраванні');
  });
});

describe('receipt e-mail', () => {
  it('thanks the donor in their language with the help resources', () => {
    const mail = receiptMail(receipt, 'be', HELP);
    expect(mail.subject).toBe('Дзякуй за ахвяраванне — квітанцыя BFI-2026-000042');
    expect(mail.text).toContain('Шаноўны(ая) Алеся,');
    expect(mail.text).toContain('8 800 100 16 11');
    expect(mail.text).toContain(HELP);
    expect(mail.html).toContain(`href="${HELP}"`);
  });

  it('greets an anonymous donor without a name and escapes HTML', () => {
    const anon = receiptMail({ ...receipt, donorName: null }, 'en', HELP);
    expect(anon.text.startsWith('Hello,')).toBe(true);
    const named = receiptMail({ ...receipt, donorName: '<b>Eve</b>' }, 'en', HELP);
    expect(named.html).toContain('&#60;b&#62;Eve');
    expect(named.html).not.toContain('<b>Eve');
  });
});

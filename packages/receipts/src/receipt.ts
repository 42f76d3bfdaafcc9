// What a receipt says, whoever renders it: the donor pages (from payment's API answer) and
// payment's mail sender (from its own row) both build one of these.
import { formatMoney, type Money } from '@bfi/money';
import { RECEIPT_TEXT, type ReceiptLocale } from './text';

export interface ReceiptData {
  /** e.g. "BFI-2026-000042" (payment gives it when the donation succeeds). */
  number: string;
  /** When the receipt was issued (ISO 8601). */
  issuedAt: string;
  /** What was charged (the gift plus any covered fee). */
  amount: Money;
  /** The part of `amount` the donor added to cover the card fee; null or absent: none. */
  coveredFee?: Money | null;
  /** Fund slug; the campaign's own fund is printed with its name. */
  fund: string;
  donorName: string | null;
  officeName: string | null;
  /** The provider's reference of the payment (PaymentIntent, capture …), or null. */
  reference: string | null;
}

export const CAMPAIGN_TIME_ZONE = 'Europe/Minsk';

export function fundName(locale: ReceiptLocale, fund: string): string {
  return fund === 'specialist-training' ? RECEIPT_TEXT[locale].receipt.fundName : fund;
}

export function receiptAmount(amount: Money, locale: ReceiptLocale): string {
  return formatMoney(amount, locale);
}

/** The gift that reaches the fund when the donor covered the fee (amount − covered fee). */
export function giftOf(receipt: Pick<ReceiptData, 'amount' | 'coveredFee'>): Money | null {
  if (!receipt.coveredFee || receipt.coveredFee.minor <= 0) return null;
  return {
    minor: receipt.amount.minor - receipt.coveredFee.minor,
    currency: receipt.amount.currency,
  };
}

export function receiptDate(iso: string, locale: ReceiptLocale): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: CAMPAIGN_TIME_ZONE,
  }).format(new Date(iso));
}

/** The file name the PDF is attached or downloaded under. */
export function receiptFileName(number: string): string {
  return `receipt-${number}.pdf`;
}

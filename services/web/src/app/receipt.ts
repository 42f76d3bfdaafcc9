// The donor's receipt as a PDF, in the page language: rendered by @bfi/receipts, the same code
// payment's mail sender attaches to the thank-you e-mail.
import { receiptPdf as renderReceipt } from '@bfi/receipts';
import type { Locale } from '../i18n';
import type { Donation } from './api';

export interface ReceiptInput {
  donation: Donation & { receipt: NonNullable<Donation['receipt']> };
  locale: Locale;
  counsellingUrl: string;
}

function providerReference(d: Donation): string | null {
  const refs = d.providerRefs;
  return (
    refs.paymentIntentId ??
    refs.captureId ??
    refs.chargeId ??
    refs.orderId ??
    refs.checkoutSessionId ??
    null
  );
}

export function receiptPdf(input: ReceiptInput): Promise<Buffer> {
  const { donation: d } = input;
  return renderReceipt({
    receipt: {
      number: d.receipt.number,
      issuedAt: d.receipt.issuedAt,
      amount: d.amount,
      coveredFee: d.coveredFee ?? null,
      fund: d.fund,
      donorName: d.receipt.donorName,
      officeName: d.officeName,
      reference: providerReference(d),
    },
    locale: input.locale,
    counsellingUrl: input.counsellingUrl,
  });
}

export {
  DEFAULT_RECEIPT_LOCALE,
  fill,
  isReceiptLocale,
  RECEIPT_LOCALES,
  RECEIPT_TEXT,
  type ReceiptLocale,
  type ReceiptText,
} from './text';
export { CAMPAIGN_TIME_ZONE, fundName, giftOf, receiptFileName, type ReceiptData } from './receipt';
export { receiptPdf, type ReceiptPdfInput } from './pdf';
export { receiptMail, type ReceiptMail } from './mail';

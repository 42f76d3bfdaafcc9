import { isCurrency, minorUnitExponent, type Currency } from '@bfi/money';
import type { ProviderName } from '../../ledger';

/**
 * What a provider statement line records, normalised across Stripe and PayPal:
 *   payment           money in (Stripe charge/payment, PayPal capture)       gross > 0
 *   refund            money back to the donor                                gross < 0
 *   dispute           money the provider took for a dispute / chargeback      gross < 0
 *   dispute-reversal  money returned after a won dispute                      gross > 0
 *   payout            money sent to our bank (Stripe payout, PayPal withdrawal) gross < 0
 *   other             anything else (billing fees, adjustments): the ledger has no such movement
 */
export const STATEMENT_TYPES = [
  'payment',
  'refund',
  'dispute',
  'dispute-reversal',
  'payout',
  'other',
] as const;
export type StatementType = (typeof STATEMENT_TYPES)[number];

/** One statement line as stored (amounts signed integer minor units; fee > 0 is a fee charged). */
export interface StatementLineDraft {
  provider: ProviderName;
  /** The line's own id at the provider (txn_…, PayPal transaction id): unique per provider. */
  reference: string;
  /** The id the ledger knows the movement by (charge, refund, dispute, payout, capture). */
  sourceRef: string;
  type: StatementType;
  gross: number;
  fee: number;
  net: number;
  currency: Currency;
  createdAt: string;
  availableOn: string | null;
  payoutId: string | null;
  description: string | null;
}

export class StatementError extends Error {
  override readonly name = 'StatementError';
}

/** Provider ids are printable ASCII (the matcher's sort order relies on it). */
const REF = /^[\x21-\x7e]{1,255}$/;

export function checkRef(value: string, what: string): string {
  if (!REF.test(value))
    throw new StatementError(`${what} ${JSON.stringify(value)} is not a provider id`);
  return value;
}

/** A currency code as providers write it ("usd", "USD") → a supported Currency. */
export function parseCurrency(value: string): Currency {
  const code = value.trim().toUpperCase();
  if (!isCurrency(code))
    throw new StatementError(`currency ${JSON.stringify(value)} is not one the ledger keeps`);
  return code;
}

/**
 * A decimal amount from a report, exactly, as signed minor units. Plain "-12.50" only; with
 * `grouping` also PayPal's en-US "1,234.50". Refused: other locales' formats ("12,50",
 * "1.234,50", "1 234.50"), currency symbols, exponents, more decimals than the currency has.
 */
export function parseAmount(text: string, currency: Currency, grouping = false): number {
  const exponent = minorUnitExponent(currency);
  const value = text.trim();
  const frac = exponent > 0 ? `(?:\\.(\\d{1,${exponent}}))?` : '';
  const int = grouping ? '(\\d{1,3}(?:,\\d{3})+|\\d+)' : '(\\d+)';
  const match = new RegExp(`^(-?)${int}${frac}$`).exec(value);
  if (!match) {
    const example = exponent > 0 ? `-1234.${'5'.padEnd(exponent, '0')}` : '-1234';
    throw new StatementError(
      `amount ${JSON.stringify(text)} is not a ${currency} amount: expected digits with "." as the decimal separator and at most ${exponent} decimals${grouping ? ' (thousands may be grouped with ",")' : ''}, e.g. ${example}`,
    );
  }
  const [, sign, intPart = '', fracPart = ''] = match;
  const minor =
    BigInt(intPart.replace(/,/g, '')) * 10n ** BigInt(exponent) +
    BigInt(fracPart.padEnd(exponent, '0') || '0');
  const n = Number(sign === '-' ? -minor : minor);
  if (!Number.isSafeInteger(n)) throw new StatementError(`amount ${text} is too large`);
  return n === 0 ? 0 : n;
}

/** gross − fee must be net, as every provider report states. */
export function checkNet(line: Pick<StatementLineDraft, 'gross' | 'fee' | 'net' | 'reference'>) {
  if (line.gross - line.fee !== line.net) {
    throw new StatementError(
      `line ${line.reference}: gross ${line.gross} − fee ${line.fee} is ${line.gross - line.fee}, but net says ${line.net}`,
    );
  }
}

// ---- Stripe ---------------------------------------------------------------------------------

/** Stripe reporting category (or balance transaction type) → statement type. */
export function stripeType(category: string): StatementType {
  switch (category) {
    case 'charge':
    case 'payment':
      return 'payment';
    case 'refund':
    case 'payment_refund':
      return 'refund';
    case 'dispute':
      return 'dispute';
    case 'dispute_reversal':
      return 'dispute-reversal';
    case 'payout':
      return 'payout';
    default:
      return 'other';
  }
}

/** The part of a Stripe balance transaction (API object) the statement keeps. */
export interface StripeBalanceTransaction {
  id: string;
  amount: number;
  fee: number;
  net: number;
  currency: string;
  created: number;
  available_on: number | null;
  type: string;
  reporting_category?: string | null;
  source: string | { id: string } | null;
  description?: string | null;
}

export function fromStripeTransaction(
  txn: StripeBalanceTransaction,
  payoutId: string | null,
): StatementLineDraft {
  const source = typeof txn.source === 'string' ? txn.source : (txn.source?.id ?? txn.id);
  for (const [name, v] of [
    ['amount', txn.amount],
    ['fee', txn.fee],
    ['net', txn.net],
  ] as const) {
    if (!Number.isSafeInteger(v))
      throw new StatementError(`Stripe ${txn.id}: ${name} ${v} is not an integer`);
  }
  const line: StatementLineDraft = {
    provider: 'stripe',
    reference: checkRef(txn.id, 'Stripe balance transaction id'),
    sourceRef: checkRef(source, 'Stripe source id'),
    type: stripeType(txn.reporting_category ?? txn.type),
    gross: txn.amount,
    fee: txn.fee,
    net: txn.net,
    currency: parseCurrency(txn.currency),
    createdAt: new Date(txn.created * 1000).toISOString(),
    availableOn: txn.available_on ? new Date(txn.available_on * 1000).toISOString() : null,
    payoutId,
    description: txn.description ?? null,
  };
  checkNet(line);
  return line;
}

// ---- PayPal ---------------------------------------------------------------------------------

/** PayPal transaction event code (T-code) → statement type. */
export function paypalType(eventCode: string): StatementType {
  if (/^T04\d\d$/.test(eventCode)) return 'payout';
  if (eventCode === 'T1107' || eventCode === 'T1105') return 'refund';
  if (eventCode === 'T1106' || eventCode === 'T1201') return 'dispute';
  if (eventCode === 'T1202') return 'dispute-reversal';
  if (/^T00\d\d$/.test(eventCode)) return 'payment';
  return 'other';
}

interface PayPalMoney {
  currency_code: string;
  value: string;
}

/** transaction_info of a PayPal Transaction Search result. */
export interface PayPalTransactionInfo {
  transaction_id: string;
  transaction_event_code: string;
  transaction_initiation_date: string;
  transaction_amount: PayPalMoney;
  fee_amount?: PayPalMoney;
  transaction_status?: string;
  transaction_subject?: string;
}

/** null for transactions that did not move money (status other than S = success). */
export function fromPayPalTransaction(info: PayPalTransactionInfo): StatementLineDraft | null {
  if (info.transaction_status && info.transaction_status !== 'S') return null;
  const currency = parseCurrency(info.transaction_amount.currency_code);
  const gross = parseAmount(info.transaction_amount.value, currency);
  // PayPal reports the fee as a negative amount ("-0.84"): a fee charged is positive here.
  const fee = info.fee_amount ? -parseAmount(info.fee_amount.value, currency) || 0 : 0;
  const type = paypalType(info.transaction_event_code);
  return {
    provider: 'paypal',
    reference: checkRef(info.transaction_id, 'PayPal transaction id'),
    sourceRef: info.transaction_id,
    type,
    gross,
    fee,
    net: gross - fee,
    currency,
    createdAt: new Date(info.transaction_initiation_date).toISOString(),
    availableOn: null,
    payoutId: type === 'payout' ? info.transaction_id : null,
    description: info.transaction_subject ?? null,
  };
}

/** PayPal activity CSV "Type" column → statement type. */
export function paypalActivityType(label: string): StatementType {
  const t = label.trim().toLowerCase();
  if (/withdraw/.test(t)) return 'payout';
  if (/chargeback reversal|reversal of .*chargeback|cancellation of hold/.test(t))
    return 'dispute-reversal';
  if (/chargeback|payment reversal|dispute/.test(t)) return 'dispute';
  if (/refund/.test(t)) return 'refund';
  if (/payment|donation/.test(t)) return 'payment';
  return 'other';
}

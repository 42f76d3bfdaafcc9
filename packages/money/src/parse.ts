import { isCurrency, minorUnitExponent, type Currency } from './currency';
import { MoneyError } from './errors';
import { MAX_MINOR, money, type Money } from './money';
import { toMajorString } from './format';

export type ParseMoneyOptions = {
  /** Smallest accepted amount in minor units (default 0; use 1 to refuse zero). */
  minMinor?: number;
  /** Largest accepted amount in minor units (default MAX_MINOR). */
  maxMinor?: number;
};

// Digits, optionally one "." or "," followed by at least one digit. Nothing else: no sign,
// no exponent, no hex, no thousands separators, no inner spaces. ASCII digits only (no `u`).
const AMOUNT_PATTERN = /^(\d+)(?:[.,](\d+))?$/;

function quote(input: string): string {
  return JSON.stringify(input);
}

function invalidFormat(input: string, currency: Currency): MoneyError {
  const exponent = minorUnitExponent(currency);
  const example = exponent > 0 ? `12.${'5'.padEnd(exponent, '0')}` : '12';
  const decimals =
    exponent > 0
      ? ` with an optional "." or "," and up to ${exponent} decimal places`
      : ' (whole numbers only)';
  return new MoneyError(
    'INVALID_FORMAT',
    `Amount ${quote(input)} is not a valid ${currency} amount: use digits${decimals}, e.g. ${example}`,
  );
}

/** Exact minor units of "int.frac" as a BigInt, so no digit is lost to float rounding. */
function toMinorBigInt(intPart: string, fracPart: string, exponent: number): bigint {
  const scale = 10n ** BigInt(exponent);
  return BigInt(intPart) * scale + BigInt(fracPart.padEnd(exponent, '0') || '0');
}

function checkBounds(minor: bigint, input: string, currency: Currency, options: ParseMoneyOptions) {
  // Going through money() validates the bounds themselves (integers, safe, non-negative).
  const max = money(options.maxMinor ?? MAX_MINOR, currency);
  const min = money(options.minMinor ?? 0, currency);
  if (minor > BigInt(max.minor)) {
    throw new MoneyError(
      'AMOUNT_TOO_LARGE',
      `Amount ${input} ${currency} is above the maximum of ${toMajorString(max)} ${currency}`,
    );
  }
  if (minor < BigInt(min.minor)) {
    throw new MoneyError(
      'AMOUNT_TOO_SMALL',
      `Amount ${input} ${currency} is below the minimum of ${toMajorString(min)} ${currency}`,
    );
  }
}

/**
 * Parses an amount typed by a person ("12", "12.5", "12,50") into exact minor units.
 * Surrounding whitespace is ignored; everything else that is not plain digits with one
 * optional decimal separator is refused with a message that says what is wrong.
 */
export function parseMoney(
  input: string,
  currency: Currency,
  options: ParseMoneyOptions = {},
): Money {
  if (!isCurrency(currency)) {
    throw new MoneyError('UNKNOWN_CURRENCY', `Unknown currency ${JSON.stringify(currency)}`);
  }
  if (typeof input !== 'string' || input.trim() === '') {
    throw new MoneyError('EMPTY_INPUT', `Please enter an amount in ${currency}`);
  }
  const text = input.trim();
  if (/^[-\u2212]\s*\d/.test(text)) {
    throw new MoneyError('NEGATIVE_AMOUNT', `Amount ${quote(text)} must not be negative`);
  }
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) throw invalidFormat(text, currency);
  const [, intPart = '', fracPart = ''] = match;
  const exponent = minorUnitExponent(currency);
  if (fracPart.length > exponent) {
    throw new MoneyError(
      'TOO_MANY_DECIMALS',
      exponent === 0
        ? `Amount ${text} has decimal places, but ${currency} has no minor units`
        : `Amount ${text} has more than ${exponent} decimal places for ${currency}`,
    );
  }
  const minor = toMinorBigInt(intPart, fracPart, exponent);
  checkBounds(minor, text, currency, options);
  return money(Number(minor), currency);
}

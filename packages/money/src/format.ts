import { minorUnitExponent } from './currency';
import { MoneyError } from './errors';
import { signedMoney, type Money } from './money';

type Parts = { sign: string; integer: string; fraction: string };

/** Splits minor units into sign, integer and fraction digit strings with integer math only. */
function splitMinor(m: Money): Parts {
  const exponent = minorUnitExponent(m.currency);
  const digits = Math.abs(m.minor)
    .toString()
    .padStart(exponent + 1, '0');
  return {
    sign: m.minor < 0 ? '-' : '',
    integer: digits.slice(0, digits.length - exponent),
    fraction: digits.slice(digits.length - exponent),
  };
}

/** Exact major-unit string, e.g. 1250 BYN → "12.50", -5 USD → "-0.05", 1200 JPY → "1200". */
export function toMajorString(m: Money): string {
  const { sign, integer, fraction } = splitMinor(signedMoney(m.minor, m.currency));
  return fraction ? `${sign}${integer}.${fraction}` : `${sign}${integer}`;
}

function numberFormat(locale: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, { useGrouping: true });
  } catch (error) {
    throw new MoneyError(
      'INVALID_LOCALE',
      `Unknown locale ${JSON.stringify(locale)}: ${String(error)}`,
    );
  }
}

/**
 * Human display with the locale's digit grouping and decimal separator, followed by the
 * ISO code: "1,234.50 BYN" (en), "1 234,50 BYN" (ru, be). The integer part is grouped by
 * Intl from a BigInt, so no amount ever passes through a float.
 */
export function formatMoney(m: Money, locale: string = 'en'): string {
  const { sign, integer, fraction } = splitMinor(signedMoney(m.minor, m.currency));
  const format = numberFormat(locale);
  const grouped = format.format(BigInt(integer));
  const decimal = format.formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  const amount = fraction ? `${grouped}${decimal}${fraction}` : grouped;
  return `${sign}${amount} ${m.currency}`;
}

import { isCurrency, CURRENCY_CODES } from './currency';
import { MoneyError } from './errors';
import type { Money } from './money';

/**
 * Money read back from storage or a provider: a minor-unit column (BIGINT arrives as bigint, a
 * string from raw SQL, or a number) and a currency code column. The one checked way in: an
 * unknown currency or an amount beyond exact integer range throws instead of being cast.
 */
export function moneyFromColumn(minor: bigint | number | string, currency: string): Money {
  if (!isCurrency(currency)) {
    throw new MoneyError(
      'UNKNOWN_CURRENCY',
      `Stored currency ${JSON.stringify(currency)} is not one of ${CURRENCY_CODES.join(', ')}`,
    );
  }
  return { minor: minorFromColumn(minor), currency };
}

/** A minor-unit column as an exact JavaScript integer, or a MoneyError. */
export function minorFromColumn(minor: bigint | number | string): number {
  const big =
    typeof minor === 'bigint'
      ? minor
      : typeof minor === 'string' && /^-?\d+$/.test(minor)
        ? BigInt(minor)
        : typeof minor === 'number' && Number.isInteger(minor)
          ? BigInt(minor)
          : undefined;
  if (big === undefined) {
    throw new MoneyError(
      'INVALID_AMOUNT',
      `Stored amount ${String(minor)} is not whole minor units`,
    );
  }
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError('UNSAFE_AMOUNT', `Stored amount ${big} is beyond exact integer range`);
  }
  return Number(big);
}

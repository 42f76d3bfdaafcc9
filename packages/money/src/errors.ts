/** Why a money value was refused. Callers branch on `code`; people read `message`. */
export type MoneyErrorCode =
  | 'INVALID_AMOUNT' // not an integer, NaN, Infinity, not a number at all
  | 'NEGATIVE_AMOUNT' // a negative amount where only non-negative ones make sense
  | 'UNSAFE_AMOUNT' // beyond MAX_MINOR: integer math would silently lose precision
  | 'UNKNOWN_CURRENCY'
  | 'CURRENCY_MISMATCH'
  | 'OVERFLOW' // an arithmetic result left the safe range
  | 'EMPTY_INPUT'
  | 'INVALID_FORMAT'
  | 'TOO_MANY_DECIMALS'
  | 'AMOUNT_TOO_SMALL'
  | 'AMOUNT_TOO_LARGE'
  | 'INVALID_RATIOS'
  | 'INVALID_LOCALE';

export class MoneyError extends Error {
  override readonly name = 'MoneyError';

  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

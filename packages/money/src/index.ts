export {
  CURRENCIES,
  CURRENCY_CODES,
  CurrencySchema,
  isCurrency,
  minorUnitExponent,
} from './currency';
export type { Currency } from './currency';
export { MoneyError } from './errors';
export type { MoneyErrorCode } from './errors';
export {
  MAX_MINOR,
  MoneySchema,
  SignedMoneySchema,
  add,
  compare,
  equals,
  isNegative,
  isZero,
  money,
  negate,
  signedMoney,
  subtract,
  sum,
  zero,
} from './money';
export type { Money } from './money';
export { parseMoney } from './parse';
export type { ParseMoneyOptions } from './parse';
export { formatMoney, toMajorString } from './format';
export { allocate } from './allocate';
export { moneyFromColumn, minorFromColumn } from './column';

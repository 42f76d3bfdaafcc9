import { z } from 'zod';
import { CURRENCY_CODES, CurrencySchema, isCurrency, type Currency } from './currency';
import { MoneyError } from './errors';

/**
 * An amount as an integer count of minor units (kopecks, cents) plus its currency.
 * `minor` is always a safe integer — never a float. Non-negative unless it came from
 * `signedMoney` or arithmetic (ledger balances and reversals can be negative).
 */
export type Money = { readonly minor: number; readonly currency: Currency };

/** Largest magnitude we accept; beyond it integer arithmetic on numbers is no longer exact. */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;

function minorIssueMessage(issue: { code: string; input?: unknown }): string {
  if (issue.code === 'too_big') return `amount exceeds the maximum of ${MAX_MINOR} minor units`;
  if (issue.code === 'too_small') return 'amount must not be negative';
  return `amount must be a whole number of minor units (e.g. 1250 for 12.50), got ${String(issue.input)}`;
}

const minorSchema = z.int({ error: minorIssueMessage }).min(0, { error: minorIssueMessage });

/** Wire/storage shape of a non-negative amount; unknown keys are refused. */
export const MoneySchema = z.strictObject({ minor: minorSchema, currency: CurrencySchema });

/** Like MoneySchema but allows negative amounts (ledger balances, reversals). */
export const SignedMoneySchema = z.strictObject({
  minor: z.int({ error: minorIssueMessage }),
  currency: CurrencySchema,
});

function assertCurrency(currency: unknown): asserts currency is Currency {
  if (!isCurrency(currency)) {
    throw new MoneyError(
      'UNKNOWN_CURRENCY',
      `Unknown currency ${JSON.stringify(currency)}; supported: ${CURRENCY_CODES.join(', ')}`,
    );
  }
}

function assertSafeInteger(minor: unknown): asserts minor is number {
  if (typeof minor !== 'number' || !Number.isInteger(minor)) {
    throw new MoneyError(
      'INVALID_AMOUNT',
      `Amount must be a whole number of minor units, got ${String(minor)}`,
    );
  }
  if (!Number.isSafeInteger(minor)) {
    throw new MoneyError(
      'UNSAFE_AMOUNT',
      `Amount ${minor} is beyond the largest supported amount of ${MAX_MINOR} minor units`,
    );
  }
}

/** A non-negative amount. Throws MoneyError on floats, NaN, Infinity, negatives, unknown currency. */
export function money(minor: number, currency: Currency): Money {
  assertSafeInteger(minor);
  assertCurrency(currency);
  if (minor < 0) {
    throw new MoneyError('NEGATIVE_AMOUNT', `Amount must not be negative, got ${minor}`);
  }
  // Normalise -0 to 0 so JSON and equality checks never see a signed zero.
  return { minor: minor + 0, currency };
}

/** An amount that may be negative (ledger use). Same checks as `money` except the sign. */
export function signedMoney(minor: number, currency: Currency): Money {
  assertSafeInteger(minor);
  assertCurrency(currency);
  return { minor: minor + 0, currency };
}

export function zero(currency: Currency): Money {
  return money(0, currency);
}

/** Validates a value from outside (JSON, DB row) as a signed Money without trusting its type. */
function checked(m: Money): Money {
  return signedMoney(m.minor, m.currency);
}

function sameCurrency(a: Money, b: Money, operation: string): Currency {
  if (a.currency !== b.currency) {
    throw new MoneyError(
      'CURRENCY_MISMATCH',
      `Cannot ${operation} ${a.currency} and ${b.currency} amounts`,
    );
  }
  return a.currency;
}

function withinRange(minor: number, currency: Currency, operation: string): Money {
  if (!Number.isSafeInteger(minor)) {
    throw new MoneyError(
      'OVERFLOW',
      `Result of ${operation} exceeds the largest supported amount of ${MAX_MINOR} minor units`,
    );
  }
  return { minor: minor + 0, currency };
}

export function add(a: Money, b: Money): Money {
  const currency = sameCurrency(checked(a), checked(b), 'add');
  return withinRange(a.minor + b.minor, currency, 'add');
}

export function subtract(a: Money, b: Money): Money {
  const currency = sameCurrency(checked(a), checked(b), 'subtract');
  return withinRange(a.minor - b.minor, currency, 'subtract');
}

export function negate(a: Money): Money {
  const m = checked(a);
  return { minor: -m.minor + 0, currency: m.currency };
}

/**
 * Sum of amounts in one currency. An empty list needs `currency` to know what zero to
 * return. Checks overflow on every step, so no intermediate leaves the safe range.
 */
export function sum(list: readonly Money[], currency?: Currency): Money {
  const first = list[0];
  if (first === undefined) {
    if (currency === undefined) {
      throw new MoneyError('CURRENCY_MISMATCH', 'Cannot sum an empty list without a currency');
    }
    return zero(currency);
  }
  let total = zero(currency ?? first.currency);
  for (const m of list) total = add(total, m);
  return total;
}

export function isZero(a: Money): boolean {
  return checked(a).minor === 0;
}

export function isNegative(a: Money): boolean {
  return checked(a).minor < 0;
}

/** -1, 0 or 1; refuses to compare different currencies. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(checked(a), checked(b), 'compare');
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return checked(a).currency === checked(b).currency && a.minor === b.minor;
}

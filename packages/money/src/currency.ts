import { z } from 'zod';

/**
 * ISO 4217 currencies the suite accepts, with the exponent of their minor unit
 * (10^exponent minor units make one major unit). Every conversion between minor and
 * major units reads this table — never a hard-coded 100 — so a currency without
 * minor units (JPY) works the same way.
 */
export const CURRENCIES = {
  BYN: { exponent: 2, name: 'Belarusian ruble' },
  USD: { exponent: 2, name: 'US dollar' },
  EUR: { exponent: 2, name: 'Euro' },
  GBP: { exponent: 2, name: 'Pound sterling' },
  PLN: { exponent: 2, name: 'Polish zloty' },
  RUB: { exponent: 2, name: 'Russian ruble' },
  JPY: { exponent: 0, name: 'Japanese yen' },
} as const satisfies Record<string, { exponent: number; name: string }>;

export type Currency = keyof typeof CURRENCIES;

export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]];

export const CurrencySchema = z.enum(CURRENCY_CODES, {
  error: (issue) =>
    `unknown currency ${JSON.stringify(issue.input)} (supported: ${CURRENCY_CODES.join(', ')})`,
});

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && Object.hasOwn(CURRENCIES, value);
}

/** Number of decimal places of the currency's minor unit (2 for BYN, 0 for JPY). */
export function minorUnitExponent(currency: Currency): number {
  return CURRENCIES[currency].exponent;
}

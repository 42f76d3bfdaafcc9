/** Currencies PayPal's REST API does not take (BYN among them). */
export const PAYPAL_UNSUPPORTED_CURRENCIES = new Set(['BYN', 'RUB']);
const ZERO_DECIMAL = new Set(['JPY', 'HUF', 'TWD']);

function decimals(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** "12.50" → 1250; null when the string is not a valid amount for the currency. */
export function toMinor(value: string, currency: string): number | null {
  const d = decimals(currency);
  const match =
    d === 0 ? /^(\d+)$/.exec(value) : new RegExp(`^(\\d+)(?:\\.(\\d{1,${d}}))?$`).exec(value);
  if (!match) return null;
  return Number(match[1]) * 10 ** d + Number((match[2] ?? '').padEnd(d, '0') || '0');
}

export function toMajor(minor: number, currency: string): string {
  const d = decimals(currency);
  if (d === 0) return String(minor);
  const digits = String(minor).padStart(d + 1, '0');
  return `${digits.slice(0, -d)}.${digits.slice(-d)}`;
}

import {
  MoneyError,
  formatMoney,
  money,
  parseMoney,
  signedMoney,
  toMajorString,
  type Currency,
} from '../src';

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a MoneyError, nothing was thrown');
}

describe('parseMoney', () => {
  it.each<[string, Currency, number]>([
    ['12', 'BYN', 1200],
    ['12.5', 'BYN', 1250],
    ['12.50', 'BYN', 1250],
    ['12,5', 'BYN', 1250],
    ['12,05', 'BYN', 1205],
    ['0', 'BYN', 0],
    ['0.01', 'USD', 1],
    ['007', 'EUR', 700],
    [' 12.50 ', 'BYN', 1250],
    ['\t5\n', 'PLN', 500],
    ['1000000', 'RUB', 100000000],
    ['90071992547409.91', 'USD', Number.MAX_SAFE_INTEGER],
    ['1200', 'JPY', 1200],
  ])('parses %p %s as %p minor units', (input, currency, minor) => {
    expect(parseMoney(input, currency)).toEqual({ minor, currency });
  });

  it.each<[string, Currency, string, string]>([
    ['12.505', 'BYN', 'TOO_MANY_DECIMALS', 'Amount 12.505 has more than 2 decimal places for BYN'],
    ['12.500', 'BYN', 'TOO_MANY_DECIMALS', 'Amount 12.500 has more than 2 decimal places for BYN'],
    [
      '12.5',
      'JPY',
      'TOO_MANY_DECIMALS',
      'Amount 12.5 has decimal places, but JPY has no minor units',
    ],
    ['-1', 'BYN', 'NEGATIVE_AMOUNT', 'Amount "-1" must not be negative'],
    ['−1', 'BYN', 'NEGATIVE_AMOUNT', 'Amount "−1" must not be negative'],
    ['', 'BYN', 'EMPTY_INPUT', 'Please enter an amount in BYN'],
    [' ', 'BYN', 'EMPTY_INPUT', 'Please enter an amount in BYN'],
    [
      '1e3',
      'BYN',
      'INVALID_FORMAT',
      'Amount "1e3" is not a valid BYN amount: use digits with an optional "." or "," and up to 2 decimal places, e.g. 12.50',
    ],
    ['12.5', 'XYZ' as Currency, 'UNKNOWN_CURRENCY', 'Unknown currency "XYZ"'],
    [
      '1e3',
      'JPY',
      'INVALID_FORMAT',
      'Amount "1e3" is not a valid JPY amount: use digits (whole numbers only), e.g. 12',
    ],
    [
      '90071992547409.92',
      'USD',
      'AMOUNT_TOO_LARGE',
      'Amount 90071992547409.92 USD is above the maximum of 90071992547409.91 USD',
    ],
  ])('refuses %p %s with %s', (input, currency, code, message) => {
    expect(refusal(() => parseMoney(input, currency))).toEqual({ code, message });
  });

  it.each([
    '0x10',
    'NaN',
    'Infinity',
    '+12',
    '12.',
    '.5',
    '12..5',
    '1,234.50',
    '1.234,50',
    '1 234,50',
    '1\u00a0234',
    '1_000',
    '12 BYN',
    '$12',
    '１２',
    '٣',
    '12.5.0',
  ])('refuses %p as INVALID_FORMAT', (input) => {
    expect(refusal(() => parseMoney(input, 'BYN')).code).toBe('INVALID_FORMAT');
  });

  it('refuses a thousands separator that looks like decimals', () => {
    expect(refusal(() => parseMoney('1,234', 'BYN')).code).toBe('TOO_MANY_DECIMALS');
  });

  it('honours min and max bounds', () => {
    const bounds = { minMinor: 100, maxMinor: 100000000 };
    expect(parseMoney('1', 'BYN', bounds)).toEqual(money(100, 'BYN'));
    expect(parseMoney('1000000', 'BYN', bounds)).toEqual(money(100000000, 'BYN'));
    expect(refusal(() => parseMoney('1000000.01', 'BYN', bounds))).toEqual({
      code: 'AMOUNT_TOO_LARGE',
      message: 'Amount 1000000.01 BYN is above the maximum of 1000000.00 BYN',
    });
    expect(refusal(() => parseMoney('0.99', 'BYN', bounds))).toEqual({
      code: 'AMOUNT_TOO_SMALL',
      message: 'Amount 0.99 BYN is below the minimum of 1.00 BYN',
    });
    expect(refusal(() => parseMoney('0', 'BYN', { minMinor: 1 })).code).toBe('AMOUNT_TOO_SMALL');
  });

  it('does not lose digits on a very long input', () => {
    expect(refusal(() => parseMoney('9'.repeat(400), 'BYN')).code).toBe('AMOUNT_TOO_LARGE');
  });
});

describe('toMajorString', () => {
  it.each<[number, Currency, string]>([
    [0, 'BYN', '0.00'],
    [5, 'BYN', '0.05'],
    [50, 'BYN', '0.50'],
    [1250, 'BYN', '12.50'],
    [-5, 'USD', '-0.05'],
    [-123456, 'EUR', '-1234.56'],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
    [1200, 'JPY', '1200'],
    [0, 'JPY', '0'],
  ])('%p %s → %p', (minor, currency, expected) => {
    expect(toMajorString(signedMoney(minor, currency))).toBe(expected);
  });
});

describe('formatMoney', () => {
  it.each<[number, Currency, string | undefined, string]>([
    [1250, 'BYN', undefined, '12.50 BYN'],
    [123456789, 'BYN', 'en', '1,234,567.89 BYN'],
    [123456789, 'BYN', 'ru', '1\u00a0234\u00a0567,89 BYN'],
    [123456789, 'BYN', 'be', '1\u00a0234\u00a0567,89 BYN'],
    [123456789, 'EUR', 'de', '1.234.567,89 EUR'],
    [-1250, 'USD', 'en', '-12.50 USD'],
    [1234567, 'JPY', 'en', '1,234,567 JPY'],
    [Number.MAX_SAFE_INTEGER, 'USD', 'en', '90,071,992,547,409.91 USD'],
  ])('%p %s in %p → %p', (minor, currency, locale, expected) => {
    expect(formatMoney(signedMoney(minor, currency), locale)).toBe(expected);
  });

  it('refuses a malformed locale with a MoneyError', () => {
    expect(refusal(() => formatMoney(money(1, 'BYN'), 'not a locale')).code).toBe('INVALID_LOCALE');
  });
});

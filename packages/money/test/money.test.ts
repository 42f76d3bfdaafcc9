import {
  CURRENCIES,
  CurrencySchema,
  MAX_MINOR,
  MoneyError,
  MoneySchema,
  SignedMoneySchema,
  add,
  compare,
  equals,
  isCurrency,
  isNegative,
  isZero,
  minorUnitExponent,
  money,
  negate,
  signedMoney,
  subtract,
  sum,
  zero,
  type Currency,
  type Money,
} from '../src';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  return undefined;
}

describe('currencies', () => {
  it('knows the minor unit exponent from the table', () => {
    expect(minorUnitExponent('BYN')).toBe(2);
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(Object.keys(CURRENCIES).sort()).toEqual(
      ['BYN', 'EUR', 'GBP', 'JPY', 'PLN', 'RUB', 'USD'].sort(),
    );
  });

  it.each([
    ['BYN', true],
    ['USD', true],
    ['JPY', true],
    ['byn', false],
    ['XYZ', false],
    ['toString', false],
    ['', false],
    [42, false],
    [null, false],
  ])('isCurrency(%p) = %p', (value, expected) => {
    expect(isCurrency(value)).toBe(expected);
    expect(CurrencySchema.safeParse(value).success).toBe(expected);
  });

  it('names the supported currencies when refusing one', () => {
    const result = CurrencySchema.safeParse('XYZ');
    expect(result.error?.issues[0]?.message).toBe(
      'unknown currency "XYZ" (supported: BYN, USD, EUR, GBP, PLN, RUB, JPY)',
    );
  });
});

describe('money()', () => {
  it.each([0, 1, 1250, MAX_MINOR])('accepts %p', (minor) => {
    expect(money(minor, 'BYN')).toEqual({ minor, currency: 'BYN' });
  });

  it('normalises -0 to 0', () => {
    expect(Object.is(money(-0, 'USD').minor, 0)).toBe(true);
  });

  it.each<[unknown, unknown, string]>([
    [12.5, 'BYN', 'INVALID_AMOUNT'],
    [0.1, 'BYN', 'INVALID_AMOUNT'],
    [NaN, 'BYN', 'INVALID_AMOUNT'],
    [Infinity, 'BYN', 'INVALID_AMOUNT'],
    [-Infinity, 'BYN', 'INVALID_AMOUNT'],
    ['12', 'BYN', 'INVALID_AMOUNT'],
    [-1, 'BYN', 'NEGATIVE_AMOUNT'],
    [MAX_MINOR + 1, 'BYN', 'UNSAFE_AMOUNT'],
    [1e300, 'BYN', 'UNSAFE_AMOUNT'],
    [100, 'XYZ', 'UNKNOWN_CURRENCY'],
    [100, 'byn', 'UNKNOWN_CURRENCY'],
  ])('refuses money(%p, %p) with %s', (minor, currency, code) => {
    expect(codeOf(() => money(minor as number, currency as Currency))).toBe(code);
  });

  it('explains the refusal in words', () => {
    expect(() => money(12.5, 'BYN')).toThrow(
      'Amount must be a whole number of minor units, got 12.5',
    );
    expect(() => money(-1, 'BYN')).toThrow('Amount must not be negative, got -1');
  });

  it('signedMoney allows negatives but keeps the other checks', () => {
    expect(signedMoney(-1250, 'EUR')).toEqual({ minor: -1250, currency: 'EUR' });
    expect(signedMoney(-MAX_MINOR, 'EUR').minor).toBe(-MAX_MINOR);
    expect(codeOf(() => signedMoney(-0.5, 'EUR'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => signedMoney(-MAX_MINOR - 1, 'EUR'))).toBe('UNSAFE_AMOUNT');
    expect(codeOf(() => signedMoney(1, 'XXX' as Currency))).toBe('UNKNOWN_CURRENCY');
  });
});

describe('MoneySchema', () => {
  it.each([
    { minor: 0, currency: 'BYN' },
    { minor: 1250, currency: 'USD' },
    { minor: MAX_MINOR, currency: 'JPY' },
  ])('accepts %j', (value) => {
    expect(MoneySchema.parse(value)).toEqual(value);
  });

  it.each<[unknown, string]>([
    [{ minor: 12.5, currency: 'BYN' }, 'whole number of minor units'],
    [{ minor: NaN, currency: 'BYN' }, 'whole number of minor units'],
    [{ minor: Infinity, currency: 'BYN' }, 'whole number of minor units'],
    [{ minor: '1250', currency: 'BYN' }, 'whole number of minor units'],
    [{ minor: -1, currency: 'BYN' }, 'must not be negative'],
    [{ minor: MAX_MINOR + 1, currency: 'BYN' }, 'exceeds the maximum'],
    [{ minor: 1, currency: 'XYZ' }, 'unknown currency "XYZ"'],
    [{ minor: 1 }, 'unknown currency undefined'],
    [{ minor: 1, currency: 'BYN', note: 'x' }, 'Unrecognized key: "note"'],
    [null, 'expected object'],
  ])('refuses %j', (value, message) => {
    const result = MoneySchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join('; ')).toContain(message);
  });

  it('SignedMoneySchema accepts negatives but not floats', () => {
    expect(SignedMoneySchema.safeParse({ minor: -5, currency: 'BYN' }).success).toBe(true);
    expect(SignedMoneySchema.safeParse({ minor: -5.5, currency: 'BYN' }).success).toBe(false);
  });
});

describe('arithmetic', () => {
  const byn = (minor: number): Money => signedMoney(minor, 'BYN');

  it('adds, subtracts and negates, allowing negative results', () => {
    expect(add(byn(1250), byn(50))).toEqual(byn(1300));
    expect(subtract(byn(50), byn(1250))).toEqual(byn(-1200));
    expect(negate(byn(1250))).toEqual(byn(-1250));
    expect(Object.is(negate(byn(0)).minor, 0)).toBe(true);
  });

  it('sums a list, and an empty list only with a currency', () => {
    expect(sum([byn(1), byn(2), byn(-10)])).toEqual(byn(-7));
    expect(sum([], 'USD')).toEqual(money(0, 'USD'));
    expect(codeOf(() => sum([]))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => sum([byn(1)], 'USD'))).toBe('CURRENCY_MISMATCH');
  });

  it('refuses mixed currencies with a readable message', () => {
    expect(() => add(byn(1), money(1, 'USD'))).toThrow('Cannot add BYN and USD amounts');
    expect(codeOf(() => subtract(byn(1), money(1, 'EUR')))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => compare(byn(1), money(1, 'EUR')))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => sum([byn(1), money(1, 'EUR')]))).toBe('CURRENCY_MISMATCH');
  });

  it('refuses overflow instead of losing precision', () => {
    expect(add(byn(MAX_MINOR - 1), byn(1)).minor).toBe(MAX_MINOR);
    expect(codeOf(() => add(byn(MAX_MINOR), byn(1)))).toBe('OVERFLOW');
    expect(codeOf(() => subtract(byn(-MAX_MINOR), byn(1)))).toBe('OVERFLOW');
    expect(codeOf(() => sum([byn(MAX_MINOR), byn(MAX_MINOR), byn(-MAX_MINOR)]))).toBe('OVERFLOW');
  });

  it('refuses malformed inputs that bypassed the constructor', () => {
    const bad = { minor: 0.5, currency: 'BYN' } as Money;
    expect(codeOf(() => add(bad, byn(1)))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => isZero(bad))).toBe('INVALID_AMOUNT');
  });

  it('compares and tests', () => {
    expect(compare(byn(1), byn(2))).toBe(-1);
    expect(compare(byn(2), byn(2))).toBe(0);
    expect(compare(byn(3), byn(-2))).toBe(1);
    expect(isZero(zero('JPY'))).toBe(true);
    expect(isZero(byn(1))).toBe(false);
    expect(isNegative(byn(-1))).toBe(true);
    expect(isNegative(byn(0))).toBe(false);
    expect(equals(byn(5), byn(5))).toBe(true);
    expect(equals(byn(5), money(5, 'USD'))).toBe(false);
  });
});

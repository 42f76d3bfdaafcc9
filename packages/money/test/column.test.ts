import { MoneyError, moneyFromColumn } from '../src';

describe('moneyFromColumn', () => {
  it('reads BIGINT, numeric strings and integers exactly', () => {
    expect(moneyFromColumn(12_50n, 'BYN')).toEqual({ minor: 1250, currency: 'BYN' });
    expect(moneyFromColumn('9007199254740991', 'USD')).toEqual({
      minor: Number.MAX_SAFE_INTEGER,
      currency: 'USD',
    });
    expect(moneyFromColumn(-300, 'EUR')).toEqual({ minor: -300, currency: 'EUR' });
  });

  it('refuses a stored currency the suite does not know instead of casting it', () => {
    expect(() => moneyFromColumn(100n, 'XXX')).toThrow(MoneyError);
    expect(() => moneyFromColumn(100n, 'byn')).toThrow(/not one of/);
  });

  it('refuses amounts that would lose precision or are not whole minor units', () => {
    expect(() => moneyFromColumn(9007199254740993n, 'BYN')).toThrow(/beyond exact integer range/);
    expect(() => moneyFromColumn('12.5', 'BYN')).toThrow(/not whole minor units/);
    expect(() => moneyFromColumn(1.5, 'BYN')).toThrow(/not whole minor units/);
  });
});

import fc from 'fast-check';
import {
  CURRENCY_CODES,
  MAX_MINOR,
  add,
  allocate,
  compare,
  formatMoney,
  negate,
  parseMoney,
  signedMoney,
  subtract,
  sum,
  toMajorString,
  type Currency,
} from '../src';

const currency = fc.constantFrom<Currency>(...CURRENCY_CODES);
const minor = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.maxSafeNat(),
  fc.constantFrom(0, 1, 99, 100, MAX_MINOR),
);
const moneyArb = fc.record({ minor, currency });
const locale = fc.constantFrom('en', 'ru', 'be', 'de', 'fr', 'pl');

describe('properties', () => {
  it('allocate sums exactly to the amount and each part is near its exact share', () => {
    const ratios = fc
      .array(fc.oneof(fc.nat(1000), fc.double({ min: 0, max: 1000, noNaN: true })), {
        minLength: 1,
        maxLength: 12,
      })
      .filter((rs) => rs.some((r) => r > 0));
    fc.assert(
      fc.property(moneyArb, fc.boolean(), ratios, (m, negative, rs) => {
        const amount = signedMoney(negative ? -m.minor : m.minor, m.currency);
        const parts = allocate(amount, rs);
        expect(parts).toHaveLength(rs.length);
        expect(sum(parts, amount.currency)).toEqual(amount);
        rs.forEach((r, i) => {
          if (r === 0) expect(parts[i]?.minor).toBe(0);
        });
        // Every part differs from its neighbours' ideal only by rounding: at most one unit apart
        // when ratios are equal.
        if (rs.every((r) => r === rs[0])) {
          const values = parts.map((p) => p.minor);
          expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('parseMoney(toMajorString(m)) gives m back', () => {
    fc.assert(
      fc.property(moneyArb, (m) => {
        expect(parseMoney(toMajorString(m), m.currency)).toEqual(m);
      }),
    );
  });

  it('parseMoney(formatMoney(m)) gives m back once grouping and code are removed', () => {
    fc.assert(
      fc.property(moneyArb, locale, (m, loc) => {
        const group = new Intl.NumberFormat(loc)
          .formatToParts(1234567)
          .find((p) => p.type === 'group')?.value;
        const formatted = formatMoney(m, loc);
        expect(formatted.endsWith(` ${m.currency}`)).toBe(true);
        let amount = formatted.slice(0, -(m.currency.length + 1));
        if (group) amount = amount.split(group).join('');
        expect(parseMoney(amount, m.currency)).toEqual(m);
      }),
    );
  });

  it('add and subtract are inverse, negate is an involution, compare is antisymmetric', () => {
    const small = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
    fc.assert(
      fc.property(small, small, currency, (x, y, c) => {
        const a = signedMoney(x, c);
        const b = signedMoney(y, c);
        expect(subtract(add(a, b), b)).toEqual(a);
        expect(negate(negate(a))).toEqual(a);
        expect(compare(a, b)).toBe(-compare(b, a) || 0);
      }),
    );
  });
});

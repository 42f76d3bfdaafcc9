import { MoneyError, allocate, money, signedMoney, type Money } from '../src';

const minors = (parts: Money[]) => parts.map((p) => p.minor);

describe('allocate', () => {
  it.each<[number, number[], number[]]>([
    [100, [1, 1, 1], [34, 33, 33]],
    [101, [1, 1, 1], [34, 34, 33]],
    [1000, [70, 30], [700, 300]],
    [5, [0.75, 0.25], [4, 1]],
    [5, [0.5, 0.5], [3, 2]],
    // Ratios are taken exactly as the doubles they are: 0.7 is a hair below 7/10 and 0.3 a
    // hair below 3/10; exactly, 5 * 0.7 / (0.7 + 0.3) < 3.5, so the spare unit goes to the second.
    [5, [0.7, 0.3], [3, 2]],
    [5, [7, 3], [4, 1]],
    [1, [1, 1], [1, 0]],
    [0, [1, 2], [0, 0]],
    [10, [0, 1, 0], [0, 10, 0]],
    [7, [1, 0, 1], [4, 0, 3]],
    [100, [1, 2, 2], [20, 40, 40]],
    // largest remainder, not first-come: 3 * [0.2, 0.35, 0.45] = [0.6, 1.05, 1.35]
    [3, [0.2, 0.35, 0.45], [1, 1, 1]],
    [Number.MAX_SAFE_INTEGER, [1, 1], [4503599627370496, 4503599627370495]],
    [-100, [1, 1, 1], [-34, -33, -33]],
  ])('splits %p by %j into %j', (minor, ratios, expected) => {
    expect(minors(allocate(signedMoney(minor, 'BYN'), ratios))).toEqual(expected);
  });

  it('keeps the currency on every part', () => {
    expect(allocate(money(10, 'JPY'), [1, 1]).map((p) => p.currency)).toEqual(['JPY', 'JPY']);
  });

  it.each<[string, number[]]>([
    ['no parts', []],
    ['all zero', [0, 0]],
    ['negative', [1, -1]],
    ['NaN', [1, NaN]],
    ['Infinity', [1, Infinity]],
  ])('refuses ratios: %s', (_label, ratios) => {
    expect(() => allocate(money(100, 'BYN'), ratios)).toThrow(MoneyError);
  });
});

import { MoneyError } from './errors';
import { signedMoney, type Money } from './money';

/**
 * A finite non-negative double as an exact fraction numerator / 2^k. Doubling a double is
 * exact, so this loop loses nothing (at most ~1074 steps for subnormals).
 */
function toDyadic(x: number): { numerator: bigint; k: number } {
  let k = 0;
  let scaled = x;
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    k += 1;
  }
  return { numerator: BigInt(scaled), k };
}

/** Ratios as exact BigInt weights on a common denominator, so the split is exact. */
function exactWeights(ratios: readonly number[]): bigint[] {
  if (ratios.length === 0) {
    throw new MoneyError('INVALID_RATIOS', 'Cannot allocate between zero parts');
  }
  for (const r of ratios) {
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) {
      throw new MoneyError(
        'INVALID_RATIOS',
        `Ratios must be finite non-negative numbers, got ${String(r)}`,
      );
    }
  }
  const dyadic = ratios.map(toDyadic);
  const maxK = Math.max(...dyadic.map((d) => d.k));
  const weights = dyadic.map((d) => d.numerator << BigInt(maxK - d.k));
  if (weights.every((w) => w === 0n)) {
    throw new MoneyError('INVALID_RATIOS', 'At least one ratio must be greater than zero');
  }
  return weights;
}

/**
 * Splits `m` by `ratios` with the largest-remainder method: each part gets the floor of
 * its exact share, then the leftover minor units go one each to the parts with the largest
 * remainders (ties: earlier part first). The parts always sum exactly to `m`; a zero ratio
 * always gets zero. A negative amount is split by magnitude and the parts negated.
 */
export function allocate(m: Money, ratios: readonly number[]): Money[] {
  const { minor, currency } = signedMoney(m.minor, m.currency);
  const weights = exactWeights(ratios);
  const total = weights.reduce((a, b) => a + b, 0n);
  const amount = BigInt(Math.abs(minor));
  const shares = weights.map((w) => (amount * w) / total);
  const remainders = weights.map((w, index) => ({ index, rest: (amount * w) % total }));
  let leftover = amount - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  const sign = minor < 0 ? -1 : 1;
  return shares.map((s) => signedMoney(sign * Number(s), currency));
}

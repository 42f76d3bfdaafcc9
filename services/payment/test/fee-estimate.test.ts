import fc from 'fast-check';
import { loadPaymentConfig } from '../src/config';
import {
  DEFAULT_FEE_SCHEDULE,
  estimateCoveredFee,
  feeRule,
  parseFeeSchedule,
  providerFee,
} from '../src/domain/fee-estimate';

// The pure estimator: the fund is never short by the estimate, and the donor never pays more
// than needed for that (the smallest such charge).

const providers = fc.constantFrom('stripe' as const, 'paypal' as const);
const currencies = fc.constantFrom('BYN' as const, 'USD' as const, 'EUR' as const);

it('the charge minus the provider fee is at least the gift, and one minor unit less would not be', () => {
  fc.assert(
    fc.property(providers, currencies, fc.integer({ min: 1, max: 100_000_000 }), (p, c, minor) => {
      const rule = feeRule(DEFAULT_FEE_SCHEDULE, p, c);
      const e = estimateCoveredFee(DEFAULT_FEE_SCHEDULE, p, { minor, currency: c });
      expect(e.total.minor).toBe(minor + e.fee.minor);
      expect(e.total.minor - providerFee(rule, e.total.minor)).toBeGreaterThanOrEqual(minor);
      const less = e.total.minor - 1;
      expect(less - providerFee(rule, less)).toBeLessThan(minor);
      // At most one minor unit more than the fee the provider will keep.
      expect(e.fee.minor - providerFee(rule, e.total.minor)).toBeLessThanOrEqual(1);
    }),
    { numRuns: 2000 },
  );
});

it('rounds the percentage half up in exact integers, as the fakes report the fee', () => {
  // 2.9 % of 50 is 1.45 → 1; of 1250 is 36.25 → 36; of 2500 is 72.5 → 73 (half up).
  const stripe = DEFAULT_FEE_SCHEDULE.stripe.default;
  expect(providerFee(stripe, 50)).toBe(31);
  expect(providerFee(stripe, 1250)).toBe(66);
  expect(providerFee(stripe, 2500)).toBe(103);
});

it('FEE_ESTIMATES sets rules per provider and currency; bad text is refused with a hint', () => {
  const s = parseFeeSchedule('stripe:EUR=1.5%+25, paypal=3%+0');
  if (typeof s === 'string') throw new Error(s);
  expect(feeRule(s, 'stripe', 'EUR')).toEqual({ rateBp: 150, fixedMinor: 25 });
  expect(feeRule(s, 'stripe', 'BYN')).toEqual({ rateBp: 290, fixedMinor: 30 });
  expect(feeRule(s, 'paypal', 'USD')).toEqual({ rateBp: 300, fixedMinor: 0 });
  expect(parseFeeSchedule('stripe=2,9%+30')).toMatch(/is not a fee rule/);
  expect(parseFeeSchedule('stripe:XYZ=1%+1')).toMatch(/not a currency/);
  expect(() =>
    loadPaymentConfig({
      DATABASE_URL: 'postgresql://x',
      QR_SECRET: 'q'.repeat(20),
      FEE_ESTIMATES: 'nope',
    }),
  ).toThrow(/FEE_ESTIMATES: "nope" is not a fee rule/);
});

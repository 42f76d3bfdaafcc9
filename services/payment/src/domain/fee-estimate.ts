import { isCurrency, type Currency, type Money } from '@bfi/money';

// "Add the card fee so all of my gift reaches the fund": what to charge so that, after the
// provider keeps its fee, the fund receives the intended gift. Pure integer arithmetic on minor
// units (basis points for the rate), so the estimate is exact and the same on every machine.

export type FeeProvider = 'stripe' | 'paypal';

/** A provider's price: `rateBp` basis points (1/100 %) of the charge plus `fixedMinor`. */
export interface FeeRule {
  rateBp: number;
  fixedMinor: number;
}

/** Per provider a default rule, and rules for currencies that are priced differently. */
export type FeeSchedule = Record<
  FeeProvider,
  { default: FeeRule; byCurrency: Partial<Record<Currency, FeeRule>> }
>;

/**
 * The documented defaults: what Stripe (2.9 % + 30) and PayPal (3.49 % + 49) charge for a card
 * payment in the account's currency, and what packages/provider-fakes report as `fee`
 * (`Math.round(amount × rate) + fixed`; the same as providerFee below for every amount from 1 to
 * 100 000 000 minor units — the default maximum gift — checked) — so in tests and the demo the estimate equals the actual fee.
 * FEE_ESTIMATES overrides them.
 */
export const DEFAULT_FEE_SCHEDULE: FeeSchedule = {
  stripe: { default: { rateBp: 290, fixedMinor: 30 }, byCurrency: {} },
  paypal: { default: { rateBp: 349, fixedMinor: 49 }, byCurrency: {} },
};

export function feeRule(schedule: FeeSchedule, provider: FeeProvider, currency: Currency): FeeRule {
  const rules = schedule[provider];
  return rules.byCurrency[currency] ?? rules.default;
}

/**
 * The fee the provider keeps of a charge of `chargeMinor`: rate × charge rounded half up to
 * a minor unit, plus the fixed part (how both providers round their percentage).
 */
export function providerFee(rule: FeeRule, chargeMinor: number): number {
  // round-half-up(charge × bp / 10000) = floor((2 × charge × bp + 10000) / 20000), in integers.
  return Math.floor((2 * chargeMinor * rule.rateBp + 10_000) / 20_000) + rule.fixedMinor;
}

export interface FeeEstimate {
  /** The gift the donor means the fund to receive. */
  amount: Money;
  /** What the donor adds to cover the provider's fee. */
  fee: Money;
  /** What is charged: amount + fee. */
  total: Money;
}

/**
 * The smallest charge T with T − fee(T) ≥ intended: the fund is never short by the estimate.
 * Rounding can make no T land exactly on the intended amount; then the donor covers at most one
 * minor unit more than the fee (and the ledger books that unit where the fee policy says).
 */
export function estimateCoveredFee(
  schedule: FeeSchedule,
  provider: FeeProvider,
  intended: Money,
): FeeEstimate {
  const rule = feeRule(schedule, provider, intended.currency);
  const keeps = (total: number) => total - providerFee(rule, total);
  // Closed-form gross-up, then settle the rounding by stepping (at most a step or two).
  let total = Math.ceil(((intended.minor + rule.fixedMinor) * 10_000) / (10_000 - rule.rateBp));
  while (keeps(total) < intended.minor) total += 1;
  while (total - 1 >= intended.minor && keeps(total - 1) >= intended.minor) total -= 1;
  const currency = intended.currency;
  return {
    amount: intended,
    fee: { minor: total - intended.minor, currency },
    total: { minor: total, currency },
  };
}

/**
 * FEE_ESTIMATES: comma-separated `<provider>[:<CUR>]=<percent>%+<fixed minor units>`, e.g.
 * `stripe=2.9%+30,stripe:EUR=1.5%+25,paypal=3.49%+49`. Unnamed providers keep the defaults.
 * Returns the schedule, or a message a person can act on.
 */
export function parseFeeSchedule(
  text: string | undefined,
  base: FeeSchedule = DEFAULT_FEE_SCHEDULE,
): FeeSchedule | string {
  const schedule: FeeSchedule = {
    stripe: { default: base.stripe.default, byCurrency: { ...base.stripe.byCurrency } },
    paypal: { default: base.paypal.default, byCurrency: { ...base.paypal.byCurrency } },
  };
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(stripe|paypal)(?::([A-Z]{3}))?=(\d{1,2}(?:\.\d{1,2})?)%\+(\d{1,6})$/.exec(part);
    if (!m)
      return `"${part}" is not a fee rule: write <provider>[:<CUR>]=<percent>%+<fixed minor units>, e.g. stripe=2.9%+30`;
    const [, provider, currency, percent, fixed] = m as unknown as [
      string,
      FeeProvider,
      string | undefined,
      string,
      string,
    ];
    const [whole, frac = ''] = percent.split('.');
    const rule = {
      rateBp: Number(whole) * 100 + Number(frac.padEnd(2, '0')),
      fixedMinor: Number(fixed),
    };
    if (currency && !isCurrency(currency))
      return `"${part}": ${currency} is not a currency the campaign takes`;
    if (currency) schedule[provider].byCurrency[currency as Currency] = rule;
    else schedule[provider].default = rule;
  }
  return schedule;
}

import type { Currency } from '@bfi/money';

/**
 * Chart of accounts. Account codes are derived from their parts, so the chart needs no table:
 * a new fund or currency brings its accounts with it.
 *
 *   clearing:<provider>:<CUR>        asset: money the provider holds for us (debit-normal)
 *   bank:<CUR>                       asset: money paid out to our bank (debit-normal)
 *   fees:<provider>:<CUR>            expense: processor fees; the line's fund says who bears it
 *   fund:<slug>:<CUR>                net assets earmarked to a fund (credit-normal)
 *   disputes-held:<slug>:<CUR>       a fund's money frozen by an open dispute (credit-normal)
 *   fee-cover:<provider>:<CUR>       what donors added to pay the processor fee (credit-normal;
 *                                    the line's fund is the fee bearer, see covered-fee.ts)
 */
export type AccountType = 'clearing' | 'bank' | 'fees' | 'fund' | 'disputes-held' | 'fee-cover';
export type ProviderName = 'stripe' | 'paypal';

export interface Account {
  type: AccountType;
  code: string;
  /** The fund dimension: whose money this line moves (null for clearing and bank). */
  fund: string | null;
  currency: Currency;
}

export const GENERAL_FUND = 'general';

export function clearingAccount(provider: ProviderName, currency: Currency): Account {
  return { type: 'clearing', code: `clearing:${provider}:${currency}`, fund: null, currency };
}

export function bankAccount(currency: Currency): Account {
  return { type: 'bank', code: `bank:${currency}`, fund: null, currency };
}

export function feesAccount(
  provider: ProviderName,
  currency: Currency,
  chargedTo: string,
): Account {
  return { type: 'fees', code: `fees:${provider}:${currency}`, fund: chargedTo, currency };
}

export function fundAccount(fund: string, currency: Currency): Account {
  return { type: 'fund', code: `fund:${fund}:${currency}`, fund, currency };
}

export function disputesHeldAccount(fund: string, currency: Currency): Account {
  return { type: 'disputes-held', code: `disputes-held:${fund}:${currency}`, fund, currency };
}

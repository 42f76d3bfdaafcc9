// The estimate the "add the card fee" checkbox shows: asked of payment's GET /fee-estimates
// (server-side, like every API call of the web), for the provider, currency and amount chosen.
import { MoneyError, parseMoney, type Money } from '@bfi/money';
import type { DonateForm } from '../views/donate';
import { ApiUnavailable, call, type Apis } from './api';
import type { DonateCurrency } from './present';

export interface FeeEstimate {
  amount: Money;
  fee: Money;
  total: Money;
}

interface EstimateAnswer {
  amount: number;
  currency: DonateCurrency;
  fee: Money;
  total: Money;
}

/** null when payment cannot estimate it (PayPal and BYN, a bad amount) or is unreachable. */
export async function fetchFeeEstimate(
  apis: Apis,
  provider: 'stripe' | 'paypal',
  amount: Money,
): Promise<FeeEstimate | null> {
  const q = new URLSearchParams({
    provider,
    currency: amount.currency,
    amount: String(amount.minor),
  });
  try {
    const answer = await call<EstimateAnswer>(`${apis.baseUrl('payment')}/fee-estimates?${q}`);
    if (!answer.ok) return null;
    return { amount, fee: answer.body.fee, total: answer.body.total };
  } catch (err) {
    if (err instanceof ApiUnavailable) return null;
    throw err;
  }
}

/** The gift a form stands for: a counter's fixed amount, the typed amount, or the preset. */
export function formAmount(form: DonateForm, fixed: Money | null): Money | null {
  if (fixed) return fixed;
  const currency = form.currency;
  if (form.custom) {
    try {
      return parseMoney(form.custom, currency, { minMinor: 1 });
    } catch (err) {
      if (err instanceof MoneyError) return null;
      throw err;
    }
  }
  return form.preset === null ? null : { minor: form.preset, currency };
}

/** The server-rendered figure, so the page shows it without JavaScript. */
export async function estimateForForm(
  apis: Apis,
  form: DonateForm,
  fixed: Money | null,
): Promise<FeeEstimate | null> {
  const amount = formAmount(form, fixed);
  return amount ? fetchFeeEstimate(apis, form.provider, amount) : null;
}

import { moneyFromColumn, type Money } from '@bfi/money';
import type { DonationRow } from '../db/repository';
import { estimateCoveredFee, type FeeEstimate } from '../domain/fee-estimate';
import type { AppDeps } from './deps';

/**
 * What a new donation charges: the intended gift, plus the estimated provider fee when the donor
 * chose to cover it. The charge is stored as the donation's amount (what the provider takes and
 * refunds are measured against) and the covered part beside it, so every payment.* event can say
 * how much of `gross` was the donor's fee cover.
 */
export function chargeColumns(
  deps: Pick<AppDeps, 'config'>,
  input: { amount: Money; provider: 'stripe' | 'paypal'; coverFee?: boolean },
): { amountMinor: bigint; coveredFeeMinor: bigint | null } {
  if (!input.coverFee) return { amountMinor: BigInt(input.amount.minor), coveredFeeMinor: null };
  const estimate = feeEstimate(deps, input.provider, input.amount);
  return {
    amountMinor: BigInt(estimate.total.minor),
    coveredFeeMinor: BigInt(estimate.fee.minor),
  };
}

export function feeEstimate(
  deps: Pick<AppDeps, 'config'>,
  provider: 'stripe' | 'paypal',
  amount: Money,
): FeeEstimate {
  return estimateCoveredFee(deps.config.feeSchedule, provider, amount);
}

/** The covered part of a donation's charge, or null when the donor did not cover the fee. */
export function coveredFeeOf(row: Pick<DonationRow, 'coveredFeeMinor' | 'currency'>): Money | null {
  return row.coveredFeeMinor !== null && row.coveredFeeMinor > 0n
    ? moneyFromColumn(row.coveredFeeMinor, row.currency)
    : null;
}

/**
 * Fund totals, per currency (and per group): the figures finance reads.
 *   gross        donations credited to the fund
 *   fees         processor fees charged to the fund (by fee policy)
 *   refunds      money returned: refunds plus lost disputes (of which `disputesLost`)
 *   disputesHeld money currently frozen by open disputes (still part of net until lost)
 *   coveredFees  what donors added to pay the fees (fee-cover credits whose bearer is this fund)
 *   net          gross − fees + coveredFees − refunds
 *   available    net − disputesHeld
 *   count        donations posted to the fund
 */
export interface FundTotals {
  currency: string;
  gross: number;
  fees: number;
  coveredFees: number;
  refunds: number;
  disputesLost: number;
  disputesHeld: number;
  net: number;
  available: number;
  count: number;
}

export type TotalsInput = Omit<FundTotals, 'net' | 'available'>;

export function withNet(t: TotalsInput): FundTotals {
  const net = t.gross - t.fees + t.coveredFees - t.refunds;
  return { ...t, net, available: net - t.disputesHeld };
}

import { moneyFromColumn, type Money } from '@bfi/money';
import type { DonationRow } from '../db/repository';
import { coveredFeeOf } from './cover-fee';

/** What the thank-you page, the office console and finance see of a donation (no donor e-mail). */
export interface DonationView {
  id: string;
  status: string;
  amount: Money;
  fund: string;
  provider: string;
  channel: string;
  officeId: string | null;
  /** The office's name when the gift was made (thank-you page, receipt). */
  officeName: string | null;
  donationPointId: string | null;
  fee: Money | null;
  /** The part of `amount` the donor added to cover the provider fee (null: none). */
  coveredFee: Money | null;
  refunded: Money;
  disputeStatus: string | null;
  failureReason: string | null;
  redirectUrl: string | null;
  providerRefs: Record<string, string>;
  /** Given when the donation succeeds; the donor's receipt PDF shows it. */
  receipt: { number: string; issuedAt: string; donorName: string | null } | null;
  createdAt: string;
  updatedAt: string;
  helpResources: { helpline: string; counselling: string };
  /** An installment of a monthly gift (the manage link: GET /donations/:id/manage-link); null: one-off. */
  recurrence: { subscriptionId: string; installment: number; interval: 'month' } | null;
}

export const HELP_RESOURCES = {
  helpline: 'Child helpline 8 800 100 16 11 (free, 24/7)',
  counselling:
    'Anonymous free psychological counselling online: https://bullyingfreeinternet.example/help',
};

export function toView(row: DonationRow): DonationView {
  const p = row.payment;
  const refs = {
    checkoutSessionId: p?.checkoutSessionId,
    paymentIntentId: p?.paymentIntentId,
    chargeId: p?.chargeId,
    orderId: p?.orderId,
    captureId: p?.captureId,
  };
  return {
    id: row.id,
    status: row.status,
    amount: moneyFromColumn(row.amountMinor, row.currency),
    fund: row.fund,
    provider: row.provider,
    channel: row.channel,
    officeId: row.officeId,
    officeName: row.officeName,
    donationPointId: row.donationPointId,
    fee:
      row.feeMinor !== null && row.feeCurrency
        ? moneyFromColumn(row.feeMinor, row.feeCurrency)
        : null,
    refunded: moneyFromColumn(row.refundedMinor, row.currency),
    coveredFee: coveredFeeOf(row),
    disputeStatus: row.disputeStatus,
    failureReason: row.failureReason,
    // The provider's page links back to the thank-you URL, which holds the donor secret: it is
    // shown only while the donor may still need it to pay.
    redirectUrl: row.status === 'pending' ? (p?.redirectUrl ?? null) : null,
    providerRefs: Object.fromEntries(
      Object.entries(refs).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
    receipt:
      row.receiptNumber && row.receiptIssuedAt
        ? {
            number: row.receiptNumber,
            issuedAt: row.receiptIssuedAt.toISOString(),
            donorName: row.donorName,
          }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    helpResources: HELP_RESOURCES,
    recurrence:
      row.subscriptionId && row.installment
        ? { subscriptionId: row.subscriptionId, installment: row.installment, interval: 'month' }
        : null,
  };
}

/** Office staff see a donation without its checkout link (it leads to the donor's secret). */
export function staffView(view: DonationView): DonationView {
  return { ...view, redirectUrl: null };
}

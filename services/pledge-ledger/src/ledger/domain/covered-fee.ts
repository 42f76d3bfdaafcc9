import type { Money } from '@bfi/money';
import { clearingAccount, fundAccount, type Account, type ProviderName } from './accounts';
import type { PaymentFact } from './donation';
import { balanced, donationPosting, type DonationContext, type EntryDraft } from './entries';

// "Add the card fee so all of my gift reaches the fund". payment charges the intended gift I
// plus its fee estimate C and says so (`coveredFee` = C of `gross` = I + C). The donation entry
// then splits the charge:
//
//   Dr clearing:<provider>:<CUR>   I + C
//      Cr fund:<slug>:<CUR>              I   the gift the donor meant for the fund
//      Cr fee-cover:<provider>:<CUR>     C   fund dimension = the fee bearer (fund policy)
//
// and the provider's actual fee F is booked as every fee is (Dr fees F / Cr clearing F, charged
// to the same bearer). The bearer's totals show both: covered C against fees F. When F = C the
// fund's net is exactly I; a difference (the estimate's rounding, another price) stays with the
// fee bearer, as any fee does — see docs/ARCHITECTURE.md.

export function feeCoverAccount(
  provider: ProviderName,
  currency: Money['currency'],
  chargedTo: string,
): Account {
  return {
    type: 'fee-cover',
    code: `fee-cover:${provider}:${currency}`,
    fund: chargedTo,
    currency,
  };
}

/** Donation of gross G of which C covers the fee: Dr clearing G / Cr fund G−C / Cr fee-cover C. */
export function coveredDonationPosting(
  ctx: DonationContext,
  gross: Money,
  coveredFee: Money,
  chargedTo: string,
): EntryDraft {
  const gift = gross.minor - coveredFee.minor;
  return balanced({
    kind: 'donation',
    idempotencyKey: `donation:${ctx.donationId}`,
    donationId: ctx.donationId,
    fund: ctx.fund,
    channel: ctx.channel,
    officeId: ctx.officeId,
    provider: ctx.provider,
    providerRef: ctx.providerRef,
    description: `Donation to ${ctx.fund} (donor covered the fee)`,
    occurredAt: ctx.occurredAt,
    lines: [
      { account: clearingAccount(ctx.provider, gross.currency), amount: gross.minor },
      { account: fundAccount(ctx.fund, gross.currency), amount: -gift },
      {
        account: feeCoverAccount(ctx.provider, gross.currency, chargedTo),
        amount: -coveredFee.minor,
      },
    ],
  });
}

/** The donation entry of a payment.succeeded: split when the donor covered the fee. */
export function donationEntryOf(
  ctx: DonationContext,
  fact: Extract<PaymentFact, { type: 'succeeded' }>,
  chargedTo: string,
): EntryDraft {
  const covered = fact.coveredFee;
  if (!covered || covered.minor <= 0) return donationPosting(ctx, fact.gross);
  return coveredDonationPosting(ctx, fact.gross, covered, chargedTo);
}

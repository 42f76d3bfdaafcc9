import type { Currency, Money } from '@bfi/money';
import {
  bankAccount,
  clearingAccount,
  disputesHeldAccount,
  feesAccount,
  fundAccount,
  type Account,
  type ProviderName,
} from './accounts';

export type EntryKind =
  | 'donation'
  | 'fee'
  | 'refund'
  | 'dispute-opened'
  | 'dispute-won'
  | 'dispute-lost'
  | 'payout'
  | 'correction';

/** A line: signed integer minor units, debit > 0, credit < 0, in the account's currency. */
export interface LineDraft {
  account: Account;
  amount: number;
}

/** A journal entry before it is chained and stored. Only `balanced()` makes one. */
export interface EntryDraft {
  kind: EntryKind;
  /** The fact this entry records ("refund:re_123"); the ledger posts each fact once. */
  idempotencyKey: string;
  donationId: string | null;
  fund: string | null;
  channel: string | null;
  officeId: string | null;
  provider: ProviderName | null;
  providerRef: string | null;
  description: string;
  occurredAt: string;
  lines: LineDraft[];
}

export class UnbalancedEntryError extends Error {
  override readonly name = 'UnbalancedEntryError';
}

/** Where a donation's entries come from: the donation's dimensions, copied onto each entry. */
export interface DonationContext {
  donationId: string;
  fund: string;
  channel: string;
  officeId: string | null;
  provider: ProviderName;
  /** Charge / capture id at the provider. */
  providerRef: string | null;
  occurredAt: string;
}

const debit = (account: Account, minor: number): LineDraft => ({ account, amount: minor });
const credit = (account: Account, minor: number): LineDraft => ({ account, amount: -minor });

/** Sum of the lines per currency (0 everywhere for a balanced entry). */
export function currencyTotals(
  lines: readonly { currency: string; amount: number }[],
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines)
    totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.amount);
  return totals;
}

/**
 * The only way to make an EntryDraft: ≥ 2 lines, each a non-zero safe integer, and per
 * currency the debits equal the credits. The database checks the same at commit.
 */
export function balanced(entry: EntryDraft): EntryDraft {
  if (entry.lines.length < 2) {
    throw new UnbalancedEntryError(
      `${entry.kind} entry has ${entry.lines.length} line(s); it needs at least 2`,
    );
  }
  for (const line of entry.lines) {
    if (!Number.isSafeInteger(line.amount) || line.amount === 0) {
      throw new UnbalancedEntryError(
        `${entry.kind} entry line on ${line.account.code} has amount ${line.amount}; it must be a non-zero whole number of minor units`,
      );
    }
  }
  const totals = currencyTotals(
    entry.lines.map((l) => ({ currency: l.account.currency, amount: l.amount })),
  );
  for (const [currency, total] of totals) {
    if (total !== 0) {
      throw new UnbalancedEntryError(
        `${entry.kind} entry does not balance in ${currency}: debits − credits = ${total}`,
      );
    }
  }
  return entry;
}

function donationEntry(
  ctx: DonationContext,
  kind: EntryKind,
  idempotencyKey: string,
  providerRef: string | null,
  description: string,
  lines: LineDraft[],
): EntryDraft {
  return balanced({
    kind,
    idempotencyKey,
    donationId: ctx.donationId,
    fund: ctx.fund,
    channel: ctx.channel,
    officeId: ctx.officeId,
    provider: ctx.provider,
    providerRef,
    description,
    occurredAt: ctx.occurredAt,
    lines,
  });
}

/** Donation of gross G: Dr clearing G / Cr fund G. */
export function donationPosting(ctx: DonationContext, gross: Money): EntryDraft {
  return donationEntry(
    ctx,
    'donation',
    `donation:${ctx.donationId}`,
    ctx.providerRef,
    `Donation to ${ctx.fund}`,
    [
      debit(clearingAccount(ctx.provider, gross.currency), gross.minor),
      credit(fundAccount(ctx.fund, gross.currency), gross.minor),
    ],
  );
}

/** Processor fee F (in the currency the provider charged it): Dr fees F / Cr clearing F. */
export function feePosting(ctx: DonationContext, fee: Money, chargedTo: string): EntryDraft {
  return donationEntry(
    ctx,
    'fee',
    `fee:${ctx.donationId}`,
    ctx.providerRef,
    `Processor fee charged to ${chargedTo}`,
    [
      debit(feesAccount(ctx.provider, fee.currency, chargedTo), fee.minor),
      credit(clearingAccount(ctx.provider, fee.currency), fee.minor),
    ],
  );
}

/** Refund (full or partial) R: Dr fund R / Cr clearing R. */
export function refundPosting(ctx: DonationContext, refundId: string, amount: Money): EntryDraft {
  return donationEntry(ctx, 'refund', `refund:${refundId}`, refundId, `Refund ${refundId}`, [
    debit(fundAccount(ctx.fund, amount.currency), amount.minor),
    credit(clearingAccount(ctx.provider, amount.currency), amount.minor),
  ]);
}

/** Dispute opened for D: the fund's money is held: Dr fund D / Cr disputes-held D. */
export function disputeOpenedPosting(
  ctx: DonationContext,
  disputeId: string,
  amount: Money,
): EntryDraft {
  return donationEntry(
    ctx,
    'dispute-opened',
    `dispute-opened:${disputeId}`,
    disputeId,
    `Dispute ${disputeId} opened: amount held`,
    [
      debit(fundAccount(ctx.fund, amount.currency), amount.minor),
      credit(disputesHeldAccount(ctx.fund, amount.currency), amount.minor),
    ],
  );
}

/**
 * Dispute closed. Won: the hold is released back to the fund (Dr disputes-held / Cr fund).
 * Lost: the provider took the money back (Dr disputes-held / Cr clearing).
 */
export function disputeClosedPosting(
  ctx: DonationContext,
  disputeId: string,
  amount: Money,
  outcome: 'won' | 'lost',
): EntryDraft {
  const held = disputesHeldAccount(ctx.fund, amount.currency);
  const to =
    outcome === 'won'
      ? fundAccount(ctx.fund, amount.currency)
      : clearingAccount(ctx.provider, amount.currency);
  return donationEntry(
    ctx,
    outcome === 'won' ? 'dispute-won' : 'dispute-lost',
    `dispute-closed:${disputeId}`,
    disputeId,
    outcome === 'won'
      ? `Dispute ${disputeId} won: hold released`
      : `Dispute ${disputeId} lost: donation reversed`,
    [debit(held, amount.minor), credit(to, amount.minor)],
  );
}

export interface Payout {
  provider: ProviderName;
  payoutId: string;
  amount: Money;
  occurredAt: string;
}

/** Payout P from the provider to our bank: Dr bank P / Cr clearing P. */
export function payoutPosting(payout: Payout): EntryDraft {
  const currency: Currency = payout.amount.currency;
  return balanced({
    kind: 'payout',
    idempotencyKey: `payout:${payout.provider}:${payout.payoutId}`,
    donationId: null,
    fund: null,
    channel: null,
    officeId: null,
    provider: payout.provider,
    providerRef: payout.payoutId,
    description: `Payout ${payout.payoutId} from ${payout.provider}`,
    occurredAt: payout.occurredAt,
    lines: [
      debit(bankAccount(currency), payout.amount.minor),
      credit(clearingAccount(payout.provider, currency), payout.amount.minor),
    ],
  });
}

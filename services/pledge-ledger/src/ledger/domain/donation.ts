import type { Currency, Money } from '@bfi/money';
import type { ProviderName } from './accounts';
import {
  disputeClosedPosting,
  disputeOpenedPosting,
  feePosting,
  refundPosting,
  type DonationContext,
  type EntryDraft,
} from './entries';
import { donationEntryOf } from './covered-fee';
import { feeBearer, type Fund } from './funds';

/** What the ledger knows of one donation; enough to check every later fact against it. */
export interface DonationState {
  donationId: string;
  fund: string;
  channel: string;
  officeId: string | null;
  provider: ProviderName;
  providerRef: string | null;
  currency: Currency;
  gross: number;
  refunded: number;
  /** Held by open disputes. */
  held: number;
  /** Taken back by lost disputes. */
  lost: number;
  occurredAt: string;
  disputes: Record<string, { amount: number; status: 'open' | 'won' | 'lost' }>;
}

interface FactBase {
  donationId: string;
  fund: string;
  channel: string;
  officeId: string | null;
  provider: ProviderName;
  providerRef: string | null;
  gross: Money;
  occurredAt: string;
}

/** A payment event, as the ledger needs it (the events layer maps the wire contract to this). */
export type PaymentFact =
  | (FactBase & { type: 'succeeded'; fee: Money | null; coveredFee?: Money | null })
  | (FactBase & { type: 'refunded'; refundId: string; amount: Money })
  | (FactBase & { type: 'disputed'; disputeId: string; amount: Money })
  | (FactBase & {
      type: 'dispute-closed';
      disputeId: string;
      amount: Money;
      outcome: 'won' | 'lost';
    });

/** What to tell the other services, pointing at the entry (by index) it announces. */
export type LedgerFact =
  | { type: 'donation-posted'; entry: number; gross: Money }
  | { type: 'fee-posted'; entry: number; fee: Money; chargedTo: string }
  | {
      type: 'donation-reversed';
      entry: number;
      amount: Money;
      reason: 'refund' | 'dispute-lost';
      fullyReversed: boolean;
    };

export type Decision =
  | { action: 'post'; entries: EntryDraft[]; state: DonationState; announce: LedgerFact[] }
  /** Depends on a fact not seen yet (refund before success): keep it and retry later. */
  | { action: 'park'; reason: string }
  /** Already applied (the same fact under another event id). */
  | { action: 'skip'; reason: string }
  /** Can never be applied (business rule): goes to the dead-letter topic with the reason. */
  | { action: 'refuse'; reason: string };

/** The idempotency key of the fact's first entry: if it exists, the fact is already posted. */
export function factKey(fact: PaymentFact): string {
  switch (fact.type) {
    case 'succeeded':
      return `donation:${fact.donationId}`;
    case 'refunded':
      return `refund:${fact.refundId}`;
    case 'disputed':
      return `dispute-opened:${fact.disputeId}`;
    case 'dispute-closed':
      return `dispute-closed:${fact.disputeId}`;
  }
}

function contextOf(state: DonationState, occurredAt: string): DonationContext {
  return {
    donationId: state.donationId,
    fund: state.fund,
    channel: state.channel,
    officeId: state.officeId,
    provider: state.provider,
    providerRef: state.providerRef,
    occurredAt,
  };
}

const remaining = (s: DonationState) => s.gross - s.refunded - s.held - s.lost;

/**
 * The ledger's rules for one payment fact, given what it knows of the donation (null: nothing
 * yet) and the donation's fund (null: no such fund). Pure: the caller stores the result.
 */
export function decide(
  state: DonationState | null,
  fact: PaymentFact,
  fund: Fund | null,
): Decision {
  if (fact.type === 'succeeded') return decideSucceeded(state, fact, fund);
  if (state === null) {
    return {
      action: 'park',
      reason: `no payment.succeeded seen yet for donation ${fact.donationId}`,
    };
  }
  if (fact.amount.currency !== state.currency) {
    return {
      action: 'refuse',
      reason: `${fact.type} amount is in ${fact.amount.currency} but donation ${state.donationId} was made in ${state.currency}`,
    };
  }
  switch (fact.type) {
    case 'refunded':
      return decideRefund(state, fact);
    case 'disputed':
      return decideDisputed(state, fact);
    case 'dispute-closed':
      return decideDisputeClosed(state, fact);
  }
}

function decideSucceeded(
  state: DonationState | null,
  fact: Extract<PaymentFact, { type: 'succeeded' }>,
  fund: Fund | null,
): Decision {
  if (state !== null)
    return { action: 'skip', reason: `donation ${fact.donationId} is already posted` };
  // A closed fund still books: payment accepted the gift (and the provider charged it) while the
  // fund was open, so refusing now would strand the money. Only an unknown fund is refused.
  if (fund === null) {
    return {
      action: 'refuse',
      reason: `unknown fund "${fact.fund}": create it (POST /funds), then replay this event: POST /dead-letters/replay {"id": "<id from GET /dead-letters>"}, or npm run dead-letters -w @bfi/pledge-ledger -- replay <id>`,
    };
  }
  const next: DonationState = {
    donationId: fact.donationId,
    fund: fact.fund,
    channel: fact.channel,
    officeId: fact.officeId,
    provider: fact.provider,
    providerRef: fact.providerRef,
    currency: fact.gross.currency,
    gross: fact.gross.minor,
    refunded: 0,
    held: 0,
    lost: 0,
    occurredAt: fact.occurredAt,
    disputes: {},
  };
  const ctx = contextOf(next, fact.occurredAt);
  const entries = [donationEntryOf(ctx, fact, feeBearer(fund))];
  const announce: LedgerFact[] = [{ type: 'donation-posted', entry: 0, gross: fact.gross }];
  if (fact.fee !== null && fact.fee.minor > 0) {
    const chargedTo = feeBearer(fund);
    entries.push(feePosting(ctx, fact.fee, chargedTo));
    announce.push({ type: 'fee-posted', entry: 1, fee: fact.fee, chargedTo });
  }
  return { action: 'post', entries, state: next, announce };
}

function decideRefund(
  state: DonationState,
  fact: Extract<PaymentFact, { type: 'refunded' }>,
): Decision {
  if (fact.amount.minor > remaining(state)) {
    return {
      action: 'refuse',
      reason:
        `refund ${fact.refundId} of ${fact.amount.minor} exceeds what is left of donation ${state.donationId} ` +
        `(gross ${state.gross}, refunded ${state.refunded}, held by disputes ${state.held}, lost in disputes ${state.lost})`,
    };
  }
  const next = { ...state, refunded: state.refunded + fact.amount.minor };
  return {
    action: 'post',
    entries: [refundPosting(contextOf(state, fact.occurredAt), fact.refundId, fact.amount)],
    state: next,
    announce: [
      {
        type: 'donation-reversed',
        entry: 0,
        amount: fact.amount,
        reason: 'refund',
        fullyReversed: next.refunded + next.lost === next.gross,
      },
    ],
  };
}

function decideDisputed(
  state: DonationState,
  fact: Extract<PaymentFact, { type: 'disputed' }>,
): Decision {
  if (state.disputes[fact.disputeId])
    return { action: 'skip', reason: `dispute ${fact.disputeId} is already open` };
  if (fact.amount.minor > remaining(state)) {
    return {
      action: 'refuse',
      reason: `dispute ${fact.disputeId} of ${fact.amount.minor} exceeds what is left of donation ${state.donationId} (${remaining(state)})`,
    };
  }
  const next: DonationState = {
    ...state,
    held: state.held + fact.amount.minor,
    disputes: {
      ...state.disputes,
      [fact.disputeId]: { amount: fact.amount.minor, status: 'open' },
    },
  };
  return {
    action: 'post',
    entries: [disputeOpenedPosting(contextOf(state, fact.occurredAt), fact.disputeId, fact.amount)],
    state: next,
    announce: [],
  };
}

function decideDisputeClosed(
  state: DonationState,
  fact: Extract<PaymentFact, { type: 'dispute-closed' }>,
): Decision {
  const dispute = state.disputes[fact.disputeId];
  if (!dispute)
    return {
      action: 'park',
      reason: `dispute ${fact.disputeId} closed before it was seen opening`,
    };
  if (dispute.status !== 'open')
    return { action: 'skip', reason: `dispute ${fact.disputeId} is already ${dispute.status}` };
  // The amount held is what gets released or reversed: that is what the fund gave up.
  const amount: Money = { minor: dispute.amount, currency: state.currency };
  const lost = fact.outcome === 'lost' ? dispute.amount : 0;
  const next: DonationState = {
    ...state,
    held: state.held - dispute.amount,
    lost: state.lost + lost,
    disputes: {
      ...state.disputes,
      [fact.disputeId]: { amount: dispute.amount, status: fact.outcome },
    },
  };
  const announce: LedgerFact[] =
    fact.outcome === 'lost'
      ? [
          {
            type: 'donation-reversed',
            entry: 0,
            amount,
            reason: 'dispute-lost',
            fullyReversed: next.refunded + next.lost === next.gross,
          },
        ]
      : [];
  return {
    action: 'post',
    entries: [
      disputeClosedPosting(contextOf(state, fact.occurredAt), fact.disputeId, amount, fact.outcome),
    ],
    state: next,
    announce,
  };
}

import type { Currency, Money } from '@bfi/money';

// The donation's life as a pure state machine. Providers deliver events late, twice and out of
// order; every webhook and API call goes through decide(), which says what changes and which
// facts (→ payment.* events) it produces. Nothing here touches a database or the network.

export const DONATION_STATUSES = [
  'pending',
  'succeeded',
  'failed',
  'partially_refunded',
  'refunded',
  'expired',
] as const;
export type DonationStatus = (typeof DONATION_STATUSES)[number];
export type DisputeStatus = 'open' | 'won' | 'lost' | null;

export interface DonationState {
  status: DonationStatus;
  gross: Money;
  /** Sum of refunds so far, in gross currency minor units. */
  refundedMinor: number;
  disputeStatus: DisputeStatus;
  fee: Money | null;
  failureReason: string | null;
}

export type Command =
  | { kind: 'succeed'; fee: Money | null }
  | { kind: 'fail'; reason: string }
  /** The provider closed the checkout unpaid (Stripe checkout.session.expired): it can no longer be paid. */
  | { kind: 'expire' }
  | { kind: 'refund'; refundId: string; amount: Money }
  | { kind: 'dispute-open'; disputeId: string; amount: Money }
  | { kind: 'dispute-close'; disputeId: string; amount: Money; outcome: 'won' | 'lost' };

export type Fact =
  | { kind: 'succeeded' }
  | { kind: 'failed'; reason: string }
  | { kind: 'expired' }
  | {
      kind: 'refunded';
      refundId: string;
      amount: Money;
      totalRefunded: Money;
      fullyRefunded: boolean;
    }
  | { kind: 'disputed'; disputeId: string; amount: Money }
  | { kind: 'dispute-closed'; disputeId: string; amount: Money; outcome: 'won' | 'lost' };

/**
 * accepted: apply `state`, publish `facts` (possibly none: a duplicate or a late event).
 * refused: the command cannot apply now. `retryable` means "not yet" (an event that overtook the
 * one it depends on — answer the provider so it retries); otherwise it never will.
 */
export type Decision =
  | { outcome: 'accepted'; state: DonationState; facts: Fact[]; note?: string }
  | { outcome: 'refused'; reason: string; retryable: boolean };

const PAID: readonly DonationStatus[] = ['succeeded', 'partially_refunded', 'refunded'];

export function isPaid(status: DonationStatus): boolean {
  return PAID.includes(status);
}

export function decide(state: DonationState, command: Command): Decision {
  switch (command.kind) {
    case 'succeed':
      return succeed(state, command.fee);
    case 'fail':
      return fail(state, command.reason);
    case 'expire':
      return expire(state);
    case 'refund':
      return refund(state, command.refundId, command.amount);
    case 'dispute-open':
      return disputeOpen(state, command.disputeId, command.amount);
    case 'dispute-close':
      return disputeClose(state, command);
  }
}

function accepted(state: DonationState, facts: Fact[] = [], note?: string): Decision {
  return { outcome: 'accepted', state, facts, note };
}

function refused(reason: string, retryable = false): Decision {
  return { outcome: 'refused', reason, retryable };
}

function succeed(state: DonationState, fee: Money | null): Decision {
  const withFee = state.fee ?? fee;
  if (isPaid(state.status)) {
    // A second confirmation (session completed + intent succeeded) only fills in a missing fee.
    return accepted({ ...state, fee: withFee }, [], 'already succeeded');
  }
  // failed → succeeded is real: the donor retried with another card in the same checkout. And
  // expired → succeeded: a provider never completes an expired checkout, but if one says it took
  // the money, the money is booked — a late confirmation must never be lost.
  return accepted({ ...state, status: 'succeeded', fee: withFee, failureReason: null }, [
    { kind: 'succeeded' },
  ]);
}

function fail(state: DonationState, reason: string): Decision {
  if (state.status === 'pending') {
    return accepted({ ...state, status: 'failed', failureReason: reason }, [
      { kind: 'failed', reason },
    ]);
  }
  if (state.status === 'failed')
    return accepted({ ...state, failureReason: reason }, [], 'already failed');
  // A late "failed" never overwrites a success.
  return accepted(state, [], `ignored: the donation already ${state.status}`);
}

/**
 * The checkout closed unpaid. From pending or failed (a declined card, then the donor left) the
 * donation ends expired: nothing was taken and this checkout can no longer take anything, so
 * the donor page offers a new gift. A paid donation stays as it is (a stale expiry after a
 * success is ignored).
 */
function expire(state: DonationState): Decision {
  if (state.status === 'expired') return accepted(state, [], 'already expired');
  if (state.status === 'pending' || state.status === 'failed')
    return accepted({ ...state, status: 'expired' }, [{ kind: 'expired' }]);
  return accepted(state, [], `ignored: the donation already ${state.status}`);
}

function refund(state: DonationState, refundId: string, amount: Money): Decision {
  if (!isPaid(state.status)) {
    return refused(
      `Only a paid donation can be refunded; this one is ${state.status}.`,
      state.status === 'pending',
    );
  }
  if (amount.currency !== state.gross.currency) {
    return refused(
      `The refund is in ${amount.currency} but the donation was in ${state.gross.currency}.`,
    );
  }
  if (!Number.isInteger(amount.minor) || amount.minor <= 0)
    return refused('A refund must be a positive whole number of minor units.');
  const total = state.refundedMinor + amount.minor;
  const remaining = state.gross.minor - state.refundedMinor;
  if (total > state.gross.minor) {
    return refused(
      `Only ${remaining} ${state.gross.currency} minor units are left to refund; ${amount.minor} asked.`,
    );
  }
  const fully = total === state.gross.minor;
  const next: DonationState = {
    ...state,
    refundedMinor: total,
    status: fully ? 'refunded' : 'partially_refunded',
  };
  const totalRefunded = { minor: total, currency: state.gross.currency };
  return accepted(next, [
    { kind: 'refunded', refundId, amount, totalRefunded, fullyRefunded: fully },
  ]);
}

function disputeOpen(state: DonationState, disputeId: string, amount: Money): Decision {
  if (!isPaid(state.status))
    return refused(`A dispute needs a paid donation; this one is ${state.status}.`, true);
  if (state.disputeStatus === 'open') return accepted(state, [], 'dispute already open');
  return accepted({ ...state, disputeStatus: 'open' }, [{ kind: 'disputed', disputeId, amount }]);
}

function disputeClose(
  state: DonationState,
  c: Extract<Command, { kind: 'dispute-close' }>,
): Decision {
  if (state.disputeStatus === null)
    return refused('The dispute was closed before it was opened here; retry later.', true);
  if (state.disputeStatus !== 'open') return accepted(state, [], 'dispute already closed');
  return accepted({ ...state, disputeStatus: c.outcome }, [
    { kind: 'dispute-closed', disputeId: c.disputeId, amount: c.amount, outcome: c.outcome },
  ]);
}

/** Currencies PayPal takes among ours; PayPal does not support the Belarusian ruble (BYN) nor RUB. */
export const PAYPAL_CURRENCIES: readonly Currency[] = ['USD', 'EUR', 'GBP', 'PLN', 'JPY'];

export function paypalRefusal(currency: Currency): string | null {
  if (PAYPAL_CURRENCIES.includes(currency)) return null;
  return `PayPal does not support ${currency}. Pay by card (Stripe) in ${currency}, or choose PayPal with one of: ${PAYPAL_CURRENCIES.join(', ')}.`;
}

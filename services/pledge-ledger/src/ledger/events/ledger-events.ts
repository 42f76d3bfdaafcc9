import { createEvent, type AnyEvent, type Channel, type DataOf } from '@bfi/events';
import type { DonationState, LedgerFact } from '../domain';
import type { PostedEntry } from '../db/journal-repo';

export const LEDGER_SOURCE = '/services/pledge-ledger';

/** ledger.* events announcing committed entries (enqueued in the same transaction). */
export function ledgerEvents(
  state: DonationState,
  announce: LedgerFact[],
  posted: PostedEntry[],
  /** From payment.succeeded.v1, passed on to reward with the donation-posted event. */
  donorSecretHash?: string,
  /** From payment.succeeded.v1 of a monthly gift's installment (contract of issue #16). */
  recurrence?: DataOf<'ledger.donation-posted.v1'>['recurrence'],
): AnyEvent[] {
  return announce.map((fact) => {
    const entry = posted[fact.entry];
    if (!entry)
      throw new Error(
        `ledger fact ${fact.type} points at entry ${fact.entry}, which was not posted`,
      );
    const base = {
      donationId: state.donationId,
      journalEntryId: entry.id,
      fund: state.fund,
      channel: state.channel as Channel,
      officeId: state.officeId,
    };
    const options = { source: LEDGER_SOURCE, time: new Date() };
    switch (fact.type) {
      case 'donation-posted':
        return createEvent(
          'ledger.donation-posted.v1',
          {
            ...base,
            gross: fact.gross,
            ...(donorSecretHash ? { donorSecretHash } : {}),
            ...(recurrence ? { recurrence } : {}),
          },
          options,
        );
      case 'fee-posted':
        return createEvent(
          'ledger.fee-posted.v1',
          { ...base, fee: fact.fee, chargedTo: fact.chargedTo },
          options,
        );
      case 'donation-reversed':
        return createEvent(
          'ledger.donation-reversed.v1',
          { ...base, amount: fact.amount, reason: fact.reason, fullyReversed: fact.fullyReversed },
          options,
        );
    }
  });
}

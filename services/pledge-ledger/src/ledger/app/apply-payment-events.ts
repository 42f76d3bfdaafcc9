import { parseEvent } from '@bfi/events';
import { enqueue, PermanentEventError } from '@bfi/messaging';
import { decide, factKey } from '../domain';
import type { Tx } from '../../db/client';
import { loadPostingContext, saveDonation } from '../db/donations-repo';
import { appendEntries, type PostedEntry } from '../db/journal-repo';
import { markRefused, parkedFor, parkEvent, unpark } from '../db/parked-repo';
import { recordRecurrence } from '../db/recurrence-repo';
import { ledgerEvents } from '../events/ledger-events';
import { isLedgerPaymentEvent, toFact, type PaymentEvent } from '../events/payment-facts';

export interface ApplyOptions {
  /** Topic namespace for the ledger events this posting publishes. */
  namespace: string;
}

export type ApplyResult =
  | {
      outcome: 'posted';
      entries: PostedEntry[];
      replayed: number;
      parkedWaiting?: number;
      /** Parked events refused on replay: the sweeper dead-letters them after commit. */
      refusedOnReplay?: number;
    }
  | { outcome: 'parked' | 'skipped' | 'refused'; reason: string };

/**
 * Applies one payment event inside the caller's transaction (the inbox consumer's): posts its
 * entries, updates the donation, enqueues ledger events. Out-of-order policy: PARK AND APPLY.
 * A refund, dispute or dispute closing that arrives before what it depends on is stored in
 * parked_event; when a later event of the same donation posts, parked events are retried in
 * arrival order. A business refusal (refund larger than the donation, unknown fund, …) throws
 * PermanentEventError, which sends the event to the dead-letter topic with the reason.
 */
export async function applyPaymentEvent(
  tx: Tx,
  event: PaymentEvent,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const result = await applyOnce(tx, event, options);
  if (result.outcome === 'refused') throw new PermanentEventError(result.reason);
  if (result.outcome !== 'posted' || result.parkedWaiting === 0) return result;
  const { replayed, refused } = await replayParked(tx, event.data.donationId, options);
  return { ...result, replayed, refusedOnReplay: refused };
}

async function applyOnce(tx: Tx, event: PaymentEvent, options: ApplyOptions): Promise<ApplyResult> {
  const fact = toFact(event);
  const ctx = await loadPostingContext(tx, {
    key: factKey(fact),
    donationId: fact.donationId,
    fund: fact.fund,
  });
  if (ctx.posted) return { outcome: 'skipped', reason: `${factKey(fact)} is already posted` };
  const state = ctx.donation;
  const decision = decide(state, fact, fact.type === 'succeeded' ? ctx.fund : null);
  switch (decision.action) {
    case 'post': {
      const entries = await appendEntries(tx, decision.entries, event.id);
      await saveDonation(tx, state, decision.state);
      const succeeded = event.type === 'payment.succeeded.v1' ? event.data : undefined;
      if (succeeded?.recurrence) await recordRecurrence(tx, fact.donationId, succeeded.recurrence);
      await enqueue(
        tx,
        ledgerEvents(
          decision.state,
          decision.announce,
          entries,
          succeeded?.donorSecretHash,
          succeeded?.recurrence,
        ),
        options.namespace,
      );
      return { outcome: 'posted', entries, replayed: 0, parkedWaiting: ctx.parked };
    }
    case 'park':
      await parkEvent(tx, {
        eventId: event.id,
        donationId: fact.donationId,
        type: event.type,
        payload: JSON.stringify(event),
        reason: decision.reason,
      });
      return { outcome: 'parked', reason: decision.reason };
    case 'skip':
      return { outcome: 'skipped', reason: decision.reason };
    case 'refuse':
      return { outcome: 'refused', reason: decision.reason };
  }
}

/**
 * Retries the donation's parked events until none makes progress. One that is now refused is
 * marked refused with the reason: it cannot be dead-lettered from inside this transaction
 * without losing the event that unblocked it, so the RefusedParkedSweeper puts it on the
 * dead-letter topic once this commits.
 */
async function replayParked(
  tx: Tx,
  donationId: string,
  options: ApplyOptions,
): Promise<{ replayed: number; refused: number }> {
  let replayed = 0;
  let refused = 0;
  for (let progress = true; progress;) {
    progress = false;
    for (const row of await parkedFor(tx, donationId)) {
      const event = parseEvent(row.payload);
      if (!isLedgerPaymentEvent(event)) continue;
      const result = await applyOnce(tx, event, options);
      if (result.outcome === 'posted' || result.outcome === 'skipped') {
        await unpark(tx, row.eventId);
        replayed += 1;
        progress ||= result.outcome === 'posted';
      } else if (result.outcome === 'refused') {
        await markRefused(tx, row.eventId, `refused when replayed: ${result.reason}`);
        refused += 1;
      }
    }
  }
  return { replayed, refused };
}

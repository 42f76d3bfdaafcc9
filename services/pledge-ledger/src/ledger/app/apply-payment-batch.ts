import { enqueue, traceStamped, type InEventSpan } from '@bfi/messaging';
import type { AnyEvent } from '@bfi/events';
import { decide, factKey, type Decision, type DonationState } from '../domain';
import type { Tx } from '../../db/client';
import { appendEntries } from '../db/journal-repo';
import { loadBatchContext, saveDonations, type BatchContext } from '../db/posting-batch-repo';
import { ledgerEvents } from '../events/ledger-events';
import { toFact, type PaymentEvent } from '../events/payment-facts';
import { applyPaymentEvent, type ApplyOptions } from './apply-payment-events';

type Posting = Extract<Decision, { action: 'post' }>;

interface Planned {
  event: PaymentEvent;
  decision: Posting;
}

export interface BatchResult {
  /** Events posted by the set-based path. */
  posted: number;
  /** Events of donations that took the per-event path (park, parked events waiting, refusal). */
  perEvent: number;
}

/**
 * Applies a consumer chunk of payment events with a fixed number of statements, whatever its
 * size: one context query, one append of every entry (the hash chain computed in memory, the
 * head locked once), one statement for donations and disputes, one enqueue. Decisions are taken
 * in arrival order with each donation's state carried from one event to the next, exactly as
 * one transaction per event would take them. A donation with anything unusual in the chunk (an
 * event to park, parked events waiting, a refusal) goes through applyPaymentEvent instead, all of
 * its events in order: park-and-apply and PermanentEventError keep their one definition there.
 */
export async function applyPaymentEvents(
  tx: Tx,
  events: PaymentEvent[],
  options: ApplyOptions,
  /** The consumer's per-event trace span: each ledger event stays in its payment event's trace. */
  inEventSpan: InEventSpan = (_event, fn) => fn(),
): Promise<BatchResult> {
  if (events.length === 0) return { posted: 0, perEvent: 0 };
  const facts = events.map(toFact);
  const ctx = await loadBatchContext(tx, {
    keys: [...new Set(facts.map(factKey))],
    donationIds: [...new Set(facts.map((f) => f.donationId))].sort(),
    funds: [...new Set(facts.map((f) => f.fund))],
  });
  const { planned, unusual } = plan(events, facts, ctx);
  await post(tx, planned, ctx, options, inEventSpan);
  const rest = events.filter((e) => unusual.has(e.data.donationId));
  for (const event of rest) await inEventSpan(event, () => applyPaymentEvent(tx, event, options));
  return { posted: planned.length, perEvent: rest.length };
}

/** The decisions of the chunk, in order; `unusual`: donations left to the per-event path. */
function plan(events: PaymentEvent[], facts: ReturnType<typeof toFact>[], ctx: BatchContext) {
  const unusual = new Set([...ctx.parked.keys()]);
  const states = new Map<string, DonationState | null>();
  const posted = new Set(ctx.posted);
  const all: Planned[] = [];
  for (const [i, event] of events.entries()) {
    const fact = facts[i]!;
    if (unusual.has(fact.donationId) || posted.has(factKey(fact))) continue;
    const state = states.has(fact.donationId)
      ? states.get(fact.donationId)!
      : (ctx.donations.get(fact.donationId) ?? null);
    const fund = fact.type === 'succeeded' ? (ctx.funds.get(fact.fund) ?? null) : null;
    const decision = decide(state, fact, fund);
    if (decision.action === 'post') {
      all.push({ event, decision });
      states.set(fact.donationId, decision.state);
      for (const draft of decision.entries) posted.add(draft.idempotencyKey);
    } else if (decision.action !== 'skip') {
      unusual.add(fact.donationId);
    }
  }
  return { planned: all.filter((p) => !unusual.has(p.event.data.donationId)), unusual };
}

/** Entries, donations and ledger events of the planned postings: three statements in all. */
async function post(
  tx: Tx,
  planned: Planned[],
  ctx: BatchContext,
  options: ApplyOptions,
  inEventSpan: InEventSpan,
): Promise<void> {
  if (planned.length === 0) return;
  const drafts = planned.flatMap((p) => p.decision.entries);
  const sources = planned.flatMap((p) => p.decision.entries.map(() => p.event.id));
  const entries = await appendEntries(tx, drafts, sources);
  const last = new Map<string, Planned>();
  const recurrences = new Map<string, { subscriptionId: string; installment: number }>();
  const outgoing: AnyEvent[] = [];
  let at = 0;
  for (const p of planned) {
    const own = entries.slice(at, (at += p.decision.entries.length));
    const succeeded = p.event.type === 'payment.succeeded.v1' ? p.event.data : undefined;
    const announced = ledgerEvents(
      p.decision.state,
      p.decision.announce,
      own,
      succeeded?.donorSecretHash,
      succeeded?.recurrence,
    );
    outgoing.push(...inEventSpan(p.event, () => traceStamped(announced, options.namespace)));
    last.set(p.event.data.donationId, p);
    if (succeeded?.recurrence) recurrences.set(succeeded.donationId, succeeded.recurrence);
  }
  await saveDonations(
    tx,
    [...last.entries()].map(([id, p]) => ({
      before: ctx.donations.get(id) ?? null,
      after: p.decision.state,
      recurrence: recurrences.get(id),
    })),
  );
  await enqueue(tx, outgoing, options.namespace);
}

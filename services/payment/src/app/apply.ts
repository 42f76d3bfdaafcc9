import { enqueue } from '@bfi/messaging';
import { decide, type Command, type DonationState, type Fact } from '../domain/donation';
import {
  stateColumns,
  findDonationId,
  nextReceiptNumber,
  lockDonation,
  patchRefs,
  recordRefund,
  saveState,
  stateOf,
  upsertDispute,
  type DonationLookup,
  type DonationRow,
  type ProviderRefsPatch,
  type Tx,
} from '../db/repository';
import { queueReceiptMail } from '../db/receipt-mails';
import { DeliveryAlreadyFinished, finishDelivery } from '../db/webhook-inbox';
import { eventsFor } from '../events/payment-events';
import type { AppDeps } from './deps';
import { toView } from './view';

/** A stored provider delivery (webhook_delivery), as the appliers name it. */
export interface Delivery {
  provider: 'stripe' | 'paypal';
  eventId: string;
  type: string;
}

export interface ApplyInput {
  provider: 'stripe' | 'paypal';
  lookup: DonationLookup;
  refs?: ProviderRefsPatch;
  commands: Command[];
  /** Set for webhooks: the stored delivery, marked applied in the same transaction as the effect. */
  delivery?: Delivery;
  refundReason?: string;
}

export type ApplyResult =
  | { kind: 'duplicate' }
  | { kind: 'unknown-donation' }
  | { kind: 'applied'; donation: DonationRow; facts: Fact[]; notes: string[]; refused: string[] };

/**
 * A command that cannot apply yet (it overtook the event it depends on): nothing changes, and
 * the stored delivery waits in the inbox for its next try (woken when a payment arrives).
 */
export class RetryLater extends Error {}

/** Commands that only make sense for a payment we already know. */
const PAYMENT_DEPENDENT = new Set<Command['kind']>(['refund', 'dispute-open', 'dispute-close']);

/**
 * The one write path for payment state: dedupe the delivery, lock the donation, run the
 * state machine, store state + refunds/disputes + outbox events in ONE transaction, then
 * wake the relay and the SSE streams.
 */
export async function applyToDonation(deps: AppDeps, input: ApplyInput): Promise<ApplyResult> {
  let result: ApplyResult;
  try {
    result = await deps.db.$transaction((tx) => applyInTx(deps, tx, input), { timeout: 15000 });
  } catch (err) {
    // Another applier finished this delivery first: everything this one did is rolled back.
    if (err instanceof DeliveryAlreadyFinished) return { kind: 'duplicate' };
    throw err;
  }
  if (result.kind === 'applied') {
    if (result.facts.length > 0) deps.relay.nudge();
    if (result.facts.some((f) => f.kind === 'succeeded')) deps.mailer.nudge();
    // Refunds and disputes that overtook this payment wait in the inbox: apply them now.
    if (result.facts.some((f) => f.kind === 'succeeded' || f.kind === 'disputed'))
      deps.webhooks.dependencyArrived();
    deps.notifier.publish(toView(result.donation));
  }
  return result;
}

/** No donation matches the input: retry later, or record the delivery as ignored. */
async function unknownDonation(tx: Tx, input: ApplyInput): Promise<ApplyResult> {
  const { delivery } = input;
  // A refund or dispute that names a payment we have not heard of yet overtook its payment
  // webhook: it stays in the inbox and is tried again (at once when the payment arrives).
  // Marking it ignored would lose the refund for good.
  if (delivery && input.commands.some((c) => PAYMENT_DEPENDENT.has(c.kind))) {
    throw new RetryLater('the payment this event refers to has not been confirmed to us yet');
  }
  if (delivery)
    await finishDelivery(tx, delivery, 'ignored', 'ignored: no such donation here', null);
  return { kind: 'unknown-donation' };
}

async function applyInTx(deps: AppDeps, tx: Tx, input: ApplyInput): Promise<ApplyResult> {
  const { delivery } = input;
  const id = await findDonationId(tx, input.lookup);
  const row = id ? await lockDonation(tx, id) : null;
  if (!row) return unknownDonation(tx, input);
  const refs = newRefs(row, input.refs ?? {});
  await patchRefs(tx, row.id, refs);
  let state = stateOf(row);
  const facts: Fact[] = [];
  const notes: string[] = [];
  const refused: string[] = [];
  for (const command of input.commands) {
    if (
      command.kind === 'refund' &&
      (await tx.refund.count({
        where: { provider: input.provider, providerRefundId: command.refundId },
      })) > 0
    ) {
      notes.push(`refund ${command.refundId} already recorded`);
      continue;
    }
    const decision = decide(state, command);
    if (decision.outcome === 'refused') {
      if (decision.retryable && delivery) throw new RetryLater(decision.reason);
      refused.push(decision.reason);
      continue;
    }
    state = decision.state;
    facts.push(...decision.facts);
    if (decision.note) notes.push(decision.note);
    await recordSideRows(tx, row.id, input, command);
  }
  const receipt = await issueReceipt(deps, tx, row, facts);
  await saveState(tx, row.id, state, receipt ?? undefined);
  // What the donation is now, built from what this transaction wrote (no second read).
  const fresh = afterApply(row, state, refs, receipt);
  await enqueue(tx, eventsFor(fresh, state, facts, deps.now()), deps.namespace);
  if (delivery) {
    const outcome = [facts.map((f) => f.kind).join(',') || 'no change', ...notes, ...refused].join(
      '; ',
    );
    await finishDelivery(tx, delivery, 'applied', outcome, row.id);
  }
  return { kind: 'applied', donation: fresh, facts, notes, refused };
}

/** The refs of the patch the donation does not have yet: none means no UPDATE at all. */
export function newRefs(row: DonationRow, refs: ProviderRefsPatch): ProviderRefsPatch {
  const known = (row.payment ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(refs).filter(([k, v]) => v !== null && v !== undefined && known[k] !== v),
  );
}

/** The row as the database holds it after the apply (state, new refs, receipt number). */
export function afterApply(
  row: DonationRow,
  state: DonationState,
  refs: ProviderRefsPatch,
  receipt: { number: string; at: Date } | null,
): DonationRow {
  return {
    ...row,
    ...stateColumns(state, receipt),
    payment: row.payment ? ({ ...row.payment, ...refs } as DonationRow['payment']) : null,
  };
}

/**
 * The first success: the receipt number (stored with the state), and the receipt e-mail queued in
 * the same transaction, so it goes out exactly when the success commits (and never a second
 * time: one row per donation).
 */
async function issueReceipt(
  deps: AppDeps,
  tx: Tx,
  row: DonationRow,
  facts: Fact[],
): Promise<{ number: string; at: Date } | null> {
  if (row.receiptNumber || !facts.some((f) => f.kind === 'succeeded')) return null;
  const at = deps.now();
  const number = await nextReceiptNumber(tx, deps.config.receiptPrefix, at);
  if (row.donorEmail) await queueReceiptMail(tx, row.id);
  return { number, at };
}

async function recordSideRows(
  tx: Tx,
  donationId: string,
  input: ApplyInput,
  command: Command,
): Promise<void> {
  if (command.kind === 'refund') {
    await recordRefund(tx, {
      donationId,
      provider: input.provider,
      refundId: command.refundId,
      amount: command.amount,
      reason: input.refundReason ?? 'provider',
    });
  } else if (command.kind === 'dispute-open' || command.kind === 'dispute-close') {
    await upsertDispute(tx, {
      donationId,
      provider: input.provider,
      disputeId: command.disputeId,
      amount: command.amount,
      status: command.kind === 'dispute-open' ? 'open' : command.outcome,
    });
  }
}

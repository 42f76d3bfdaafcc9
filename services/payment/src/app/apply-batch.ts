// Set-based apply (issue #14): a batch of stored deliveries, already mapped (provider lookups
// done, outside any transaction), applied in ONE transaction with a fixed number of statements —
// the donations locked in id order by one context query, each delivery decided in memory in
// arrival order with the same pure `decide` as applyToDonation (each donation's state carried
// from one delivery to the next), then one statement per table. Anything unusual (no such
// donation, a refusal or "not yet", a refund already recorded) is handed back, with every later
// delivery of that donation, for the per-delivery path after this commit.
import { enqueue } from '@bfi/messaging';
import type { AnyEvent } from '@bfi/events';
import { decide, type DonationState, type Fact } from '../domain/donation';
import {
  stateOf,
  receiptNumberOf,
  receiptYear,
  type DonationLookup,
  type DonationRow,
  type ProviderRefsPatch,
  type Tx,
} from '../db/repository';
import {
  finishDeliveries,
  insertRefunds,
  loadBatchContext,
  queueReceiptMails,
  reserveReceiptNumbers,
  saveDonations,
  saveRefs,
  upsertDisputes,
  type SideRow,
} from '../db/apply-batch-repo';
import { eventsFor } from '../events/payment-events';
import { afterApply, newRefs, type ApplyInput } from './apply';
import type { AppDeps } from './deps';
import { toView } from './view';

export interface BatchItem {
  /** The webhook_delivery row id. */
  id: string;
  input: ApplyInput;
}

interface Carried {
  row: DonationRow;
  state: DonationState;
  refs: ProviderRefsPatch;
  /** This batch gives the donation its receipt number. */
  receipt: boolean;
}

interface Plan {
  carried: Map<string, Carried>;
  /** Donations in the order the batch first touched them. */
  touched: Carried[];
  done: { id: string; outcome: string; donationId: string }[];
  facts: Fact[];
  events: AnyEvent[];
  refunds: SideRow[];
  disputes: Map<string, SideRow>;
  rest: BatchItem[];
}

/** Applies what it can of the batch (one provider); returns the items left for one by one. */
export async function applyBatch(
  deps: AppDeps,
  provider: 'stripe' | 'paypal',
  items: BatchItem[],
): Promise<BatchItem[]> {
  if (items.length === 0) return [];
  const plan = await deps.db.$transaction((tx) => applyInTx(deps, tx, provider, items), {
    timeout: 15000,
  });
  if (plan.facts.length > 0) deps.relay.nudge();
  if (plan.facts.some((f) => f.kind === 'succeeded')) deps.mailer.nudge();
  if (plan.facts.some((f) => f.kind === 'succeeded' || f.kind === 'disputed'))
    deps.webhooks.dependencyArrived();
  for (const c of plan.touched) deps.notifier.publish(toView(c.row));
  return plan.rest;
}

async function applyInTx(
  deps: AppDeps,
  tx: Tx,
  provider: 'stripe' | 'paypal',
  items: BatchItem[],
): Promise<Plan> {
  const refundIds = items.flatMap((i) =>
    i.input.commands.flatMap((c) => (c.kind === 'refund' ? [c.refundId] : [])),
  );
  const ctx = await loadBatchContext(
    tx,
    provider,
    items.map((i) => i.input.lookup),
    refundIds,
  );
  const plan = decideAll(deps, ctx.donations, ctx.recordedRefunds, items);
  if (plan.done.length === 0) return plan;
  await writePlan(deps, tx, provider, plan);
  return plan;
}

function decideAll(
  deps: AppDeps,
  donations: DonationRow[],
  recorded: Set<string>,
  items: BatchItem[],
): Plan {
  const plan: Plan = {
    carried: new Map(
      donations.map((row) => [row.id, { row, state: stateOf(row), refs: {}, receipt: false }]),
    ),
    touched: [],
    done: [],
    facts: [],
    events: [],
    refunds: [],
    disputes: new Map(),
    rest: [],
  };
  const slow = new Set<string>();
  const now = deps.now();
  for (const item of items) {
    const c = resolve(plan.carried, item.input.lookup);
    if (!c || slow.has(c.row.id) || !decideItem(plan, c, item, recorded, now)) {
      if (c) slow.add(c.row.id);
      plan.rest.push(item);
    }
  }
  return plan;
}

/** Decides one delivery against the carried state; false (nothing kept) when it is unusual. */
function decideItem(
  plan: Plan,
  c: Carried,
  item: BatchItem,
  recorded: Set<string>,
  now: Date,
): boolean {
  const { input } = item;
  let state = c.state;
  const facts: Fact[] = [];
  const notes: string[] = [];
  const refunds: SideRow[] = [];
  const disputes: SideRow[] = [];
  for (const command of input.commands) {
    if (command.kind === 'refund' && recorded.has(command.refundId)) return false;
    const decision = decide(state, command);
    if (decision.outcome === 'refused') return false;
    state = decision.state;
    facts.push(...decision.facts);
    if (decision.note) notes.push(decision.note);
    const donationId = c.row.id;
    if (command.kind === 'refund')
      refunds.push({
        donationId,
        id: command.refundId,
        amount: command.amount,
        text: input.refundReason ?? 'provider',
      });
    else if (command.kind === 'dispute-open' || command.kind === 'dispute-close')
      disputes.push({
        donationId,
        id: command.disputeId,
        amount: command.amount,
        text: command.kind === 'dispute-open' ? 'open' : command.outcome,
      });
  }
  const refs = newRefs(c.row, input.refs ?? {});
  if (!plan.touched.includes(c)) plan.touched.push(c);
  c.state = state;
  c.refs = { ...c.refs, ...refs };
  c.row = afterApply(c.row, state, refs, null);
  if (!c.row.receiptNumber && facts.some((f) => f.kind === 'succeeded')) c.receipt = true;
  for (const r of refunds) recorded.add(r.id);
  plan.refunds.push(...refunds);
  // One row per dispute: the amount it opened with, the status it ends the batch in.
  for (const d of disputes)
    plan.disputes.set(d.id, { ...(plan.disputes.get(d.id) ?? d), text: d.text });
  plan.facts.push(...facts);
  plan.events.push(...eventsFor(c.row, state, facts, now));
  const outcome = [facts.map((f) => f.kind).join(',') || 'no change', ...notes].join('; ');
  plan.done.push({ id: item.id, outcome, donationId: c.row.id });
  return true;
}

/** The donation a lookup names, as this batch has it now (refs learnt earlier in it count). */
function resolve(carried: Map<string, Carried>, lookup: DonationLookup): Carried | undefined {
  if ('donationId' in lookup) return carried.get(lookup.donationId.toLowerCase());
  const [key, value] = Object.entries(lookup)[0]!;
  for (const c of carried.values())
    if ((c.row.payment as Record<string, unknown> | null)?.[key] === value) return c;
  return undefined;
}

/** The fixed statements of the batch: at most one per table, whatever its size. */
async function writePlan(deps: AppDeps, tx: Tx, provider: string, plan: Plan): Promise<void> {
  const at = deps.now();
  const receipts = plan.touched.filter((c) => c.receipt);
  if (receipts.length > 0) {
    const campaign = deps.config.receiptPrefix;
    const year = receiptYear(at);
    const first = await reserveReceiptNumbers(tx, campaign, year, receipts.length);
    receipts.forEach((c, i) => {
      c.row = {
        ...c.row,
        receiptNumber: receiptNumberOf(campaign, year, first + i),
        receiptIssuedAt: at,
      };
    });
  }
  const stamp = new Date();
  await saveRefs(
    tx,
    plan.touched
      .filter((c) => Object.keys(c.refs).length > 0)
      .map((c) => ({
        donationId: c.row.id,
        checkoutSessionId: c.refs.checkoutSessionId ?? null,
        paymentIntentId: c.refs.paymentIntentId ?? null,
        chargeId: c.refs.chargeId ?? null,
        orderId: c.refs.orderId ?? null,
        captureId: c.refs.captureId ?? null,
      })),
    stamp,
  );
  await saveDonations(
    tx,
    plan.touched.map((c) => ({
      id: c.row.id,
      state: c.state,
      receipt: c.receipt ? { number: c.row.receiptNumber!, at } : null,
    })),
    stamp,
  );
  await insertRefunds(tx, provider, plan.refunds);
  await upsertDisputes(tx, provider, [...plan.disputes.values()]);
  await queueReceiptMails(
    tx,
    receipts.filter((c) => c.row.donorEmail).map((c) => c.row.id),
  );
  await enqueue(tx, plan.events, deps.namespace);
  await finishDeliveries(tx, plan.done);
}

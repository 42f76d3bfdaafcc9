// A chunk of ledger.donation-posted → their reward decisions with a fixed number of statements
// (issue #14, the ledger's set-based posting applied to rewards): rules read once, decisions,
// rewards, stock and outbox one statement each. The same pure functions (matchRule,
// placeReward) decide as in decide.ts, in arrival order, so the outcome is the per-event one.
import { enqueue, traceStamped, type InEventSpan } from '@bfi/messaging';
import type { AnyEvent, EventOf } from '@bfi/events';
import type { Tx } from '../db/client';
import {
  applyStockPlan,
  insertDecisions,
  insertRewards,
  lockOffices,
  rulesForChannels,
  type StockPlan,
} from '../db/decide-batch-repo';
import type { NewReward } from '../db/rewards-repo';
import { matchRule, placeReward, type Rule, type RuleMatch } from '../domain';
import { rewardUnlocked } from '../events/reward-events';
import { claimExpiry, SYSTEM_ACTOR, type RewardContext } from './context';
import { decisionOf, factsOf, newReward, type DecideOutcome } from './decide';

type Posted = EventOf<'ledger.donation-posted.v1'>;

export interface Decided {
  event: Posted;
  outcome: DecideOutcome;
}

interface Planned {
  event: Posted;
  match: Extract<RuleMatch, { matched: true }>;
  reward: NewReward;
}

function matchOf(rules: Rule[], event: Posted): RuleMatch {
  return matchRule(rules, factsOf(event));
}

async function loadRules(tx: Tx, events: Posted[]): Promise<Rule[]> {
  const times = events.map((e) => new Date(e.time).getTime());
  const channels = [...new Set(events.map((e) => e.data.channel))];
  return rulesForChannels(tx, channels, new Date(Math.min(...times)), new Date(Math.max(...times)));
}

const isPhysical = (p: Planned) => p.reward.status === 'waiting-list';

/**
 * Which physical rewards get a pack: per office, the first ones in arrival order while its
 * locked counter lasts (what one reservation per event gives); the rest wait or fall back.
 */
function planStock(planned: Planned[], available: Map<string, number>, plan: StockPlan) {
  const left = new Map(available);
  for (const p of planned.filter(isPhysical)) {
    const office = p.reward.officeId!;
    const free = left.get(office) ?? 0;
    if (free > 0) left.set(office, free - 1);
    const placement = placeReward(p.match.rule.kind, p.match.rule.outOfStock, free > 0);
    if (placement.reserved) plan.reserved.push({ rewardId: p.reward.id, officeId: office });
    else if (placement.fallback) plan.fallbacks.push(p.reward.id);
  }
}

/** Decides a run of posted donations in one transaction; outcomes in arrival order. */
export async function decideRewards(
  ctx: RewardContext,
  tx: Tx,
  events: Posted[],
  inEventSpan: InEventSpan = (_e, fn) => fn(),
): Promise<Decided[]> {
  if (events.length === 0) return [];
  const rules = await loadRules(tx, events);
  const now = ctx.clock();
  const matches = events.map((e) => matchOf(rules, e));
  // A donation twice in the chunk (two event ids): its first event decides, as one per event.
  const firsts = new Map<string, number>();
  events.forEach((e, i) => {
    if (!firsts.has(e.data.donationId)) firsts.set(e.data.donationId, i);
  });
  const candidates = [...firsts.values()];
  const fresh = await insertDecisions(
    tx,
    candidates.map((i) => decisionOf(events[i]!, matches[i]!, now)),
  );
  const planned: Planned[] = [];
  const outcomes = new Map<number, DecideOutcome>();
  for (const i of candidates) {
    const event = events[i]!;
    const match = matches[i]!;
    if (!fresh.has(event.data.donationId.toLowerCase())) continue;
    if (!match.matched) {
      outcomes.set(i, 'no-reward');
      continue;
    }
    const physical = match.rule.kind === 'physical-sticker-pack' && event.data.officeId !== null;
    planned.push({ event, match, reward: newReward(event, match.rule, physical, now) });
  }
  await insertRewards(
    tx,
    planned.map((p) => p.reward),
  );
  const plan: StockPlan = {
    reserved: [],
    fallbacks: [],
    claimExpiresAt: claimExpiry(ctx, now),
    actor: SYSTEM_ACTOR,
  };
  const offices = [...new Set(planned.filter(isPhysical).map((p) => p.reward.officeId!))];
  // The office rows are locked only now: the rest of the transaction is two statements and COMMIT.
  if (offices.length > 0) planStock(planned, await lockOffices(tx, offices), plan);
  await applyStockPlan(tx, plan);
  const outgoing = unlocked(ctx, planned, plan, now, inEventSpan, (p, outcome) =>
    outcomes.set(events.indexOf(p.event), outcome),
  );
  await enqueue(tx, outgoing, ctx.namespace);
  return events.map((event, i) => ({ event, outcome: outcomes.get(i) ?? 'duplicate-donation' }));
}

/** The reward.unlocked events of the planned rewards, each built in its posted event's span. */
function unlocked(
  ctx: RewardContext,
  planned: Planned[],
  plan: StockPlan,
  now: Date,
  inEventSpan: InEventSpan,
  decided: (p: Planned, outcome: DecideOutcome) => void,
): AnyEvent[] {
  const outgoing: AnyEvent[] = [];
  const reserved = new Set(plan.reserved.map((r) => r.rewardId));
  const fallbacks = new Set(plan.fallbacks);
  for (const p of planned) {
    const placement = placeReward(
      p.match.rule.kind,
      p.match.rule.outOfStock,
      reserved.has(p.reward.id),
    );
    const reward = {
      ...p.reward,
      kind: placement.kind,
      status: placement.status,
      fallback: fallbacks.has(p.reward.id),
      claimExpiresAt: placement.reserved ? plan.claimExpiresAt : null,
    };
    // Built in its posted event's span, so each reward event continues its donation's trace.
    outgoing.push(
      ...inEventSpan(p.event, () => traceStamped([rewardUnlocked(reward, now)], ctx.namespace)),
    );
    decided(p, placement.fallback ? 'digital-fallback' : placement.status);
  }
  return outgoing;
}

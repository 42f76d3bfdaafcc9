// Reward rules are data an admin edits. Decisions already made keep the rule they were made
// under (the decision records the threshold); a change applies to donations posted from now on.
import {
  countDecisionsOfRule,
  createRule,
  deleteRule,
  findRule,
  listRules,
  replaceRule,
} from '../db/rules-repo';
import type { RuleInput } from '../db/rules-repo';
import { RewardError, type Rule } from '../domain';
import type { RewardContext } from './context';

export type { RuleInput };

const noSuchRule = (ruleId: string) =>
  new RewardError('not-found', `There is no reward rule ${ruleId}.`);

export function rules(ctx: RewardContext): Promise<Rule[]> {
  return listRules(ctx.db);
}

export async function rule(ctx: RewardContext, ruleId: string): Promise<Rule> {
  const found = await findRule(ctx.db, ruleId);
  if (!found) throw noSuchRule(ruleId);
  return found;
}

export function addRule(ctx: RewardContext, input: RuleInput): Promise<Rule> {
  return ctx.db.$transaction((tx) => createRule(tx, input));
}

export async function changeRule(ctx: RewardContext, ruleId: string, input: RuleInput) {
  if (!(await findRule(ctx.db, ruleId))) throw noSuchRule(ruleId);
  return ctx.db.$transaction((tx) => replaceRule(tx, ruleId, input));
}

/** Deletes a rule nothing was decided under; one that decided donations stays on record. */
export async function removeRule(ctx: RewardContext, ruleId: string): Promise<void> {
  if (!(await findRule(ctx.db, ruleId))) throw noSuchRule(ruleId);
  const used = await countDecisionsOfRule(ctx.db, ruleId);
  if (used > 0) {
    throw new RewardError(
      'conflict',
      `Rule ${ruleId} decided ${used} donations and stays on record; end it by setting activeUntil instead.`,
    );
  }
  await ctx.db.$transaction((tx) => deleteRule(tx, ruleId));
}

// Admin: reward rules (data, not code) and every office's stock; finance: flagged rewards.
import { defineRoute, unprocessable, type Route } from '@bfi/http';
import type { RewardContext } from '../app/context';
import { flaggedRewards, stockOfEveryOffice } from '../app/overview';
import { addRule, changeRule, removeRule, rule, rules, type RuleInput } from '../app/rules';
import { ruleProblems } from '../domain';
import { FlaggedRewards, RuleView, Rules, StockOverview } from './responses';
import { ListQuery, RuleBody, RuleParams, type RuleBodyInput } from './schemas';
import { ruleView } from './views';

function toRuleInput(body: RuleBodyInput): RuleInput {
  const input: RuleInput = {
    campaign: body.campaign,
    channel: body.channel,
    fund: body.fund,
    kind: body.kind,
    outOfStock: body.outOfStock,
    priority: body.priority,
    installmentsUpTo: body.installmentsUpTo,
    activeFrom: new Date(body.activeFrom),
    activeUntil: body.activeUntil === null ? null : new Date(body.activeUntil),
    minimums: Object.fromEntries(
      Object.entries(body.minimums).filter((e): e is [string, number] => e[1] !== undefined),
    ),
  };
  const problems = ruleProblems(input);
  if (problems.length > 0)
    throw unprocessable(`This rule cannot be saved: ${problems.join('; ')}.`, { problems });
  return input;
}

const ADMIN = ['admin'] as const;
const TAGS = ['admin'];

const ruleCollection = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'listRules',
    method: 'get',
    path: '/admin/rules',
    summary: 'List reward rules',
    tags: TAGS,
    access: ADMIN,
    response: { status: 200, description: 'Rules', schema: Rules },
    handle: async () => ({ rules: (await rules(ctx)).map(ruleView) }),
  }),
  defineRoute({
    operationId: 'createRule',
    method: 'post',
    path: '/admin/rules',
    summary: 'Create a reward rule',
    tags: TAGS,
    access: ADMIN,
    body: RuleBody,
    response: { status: 201, description: 'Created', schema: RuleView },
    problems: { 422: 'Inconsistent rule' },
    handle: async ({ body, res }) => {
      const created = await addRule(ctx, toRuleInput(body));
      res.location(`/admin/rules/${created.id}`);
      return ruleView(created);
    },
  }),
];

const ruleItem = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'getRule',
    method: 'get',
    path: '/admin/rules/:ruleId',
    summary: 'One rule',
    tags: TAGS,
    access: ADMIN,
    params: RuleParams,
    response: { status: 200, description: 'Rule', schema: RuleView },
    problems: { 404: 'Unknown rule' },
    handle: async ({ params }) => ruleView(await rule(ctx, params.ruleId)),
  }),
  defineRoute({
    operationId: 'replaceRule',
    method: 'put',
    path: '/admin/rules/:ruleId',
    summary: 'Replace a rule (applies to donations posted from now on)',
    description:
      'Decisions already made keep the rule they were made under (the decision records the threshold).',
    tags: TAGS,
    access: ADMIN,
    params: RuleParams,
    body: RuleBody,
    response: { status: 200, description: 'Saved', schema: RuleView },
    problems: { 404: 'Unknown rule', 422: 'Inconsistent rule' },
    handle: async ({ params, body }) =>
      ruleView(await changeRule(ctx, params.ruleId, toRuleInput(body))),
  }),
  defineRoute({
    operationId: 'deleteRule',
    method: 'delete',
    path: '/admin/rules/:ruleId',
    summary: 'Delete an unused rule',
    tags: TAGS,
    access: ADMIN,
    params: RuleParams,
    response: { status: 204, raw: true, description: 'Deleted' },
    problems: { 404: 'Unknown rule', 409: 'Rule has decisions; end it instead' },
    handle: async ({ params, res }) => {
      await removeRule(ctx, params.ruleId);
      res.status(204).end();
    },
  }),
];

const overviewRoutes = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'getStockOverview',
    method: 'get',
    path: '/admin/stock',
    summary: 'Stock overview of every office',
    tags: TAGS,
    access: ADMIN,
    response: { status: 200, description: 'Overview', schema: StockOverview },
    handle: async () => {
      const { offices, totals } = await stockOfEveryOffice(ctx);
      return {
        offices: offices.map((o) => ({
          ...o,
          lastMovementAt: o.lastMovementAt?.toISOString() ?? null,
        })),
        totals,
      };
    },
  }),
  defineRoute({
    operationId: 'listFlaggedRewards',
    method: 'get',
    path: '/finance/flagged-rewards',
    summary: 'Rewards revoked after hand-out (for finance)',
    tags: ['finance'],
    access: ['finance'],
    query: ListQuery,
    response: { status: 200, description: 'Flagged rewards', schema: FlaggedRewards },
    handle: async ({ query }) => ({
      rewards: (await flaggedRewards(ctx, query.limit)).map(({ reward: r, gross, reversed }) => ({
        rewardId: r.id,
        donationId: r.donationId,
        kind: r.kind,
        officeId: r.officeId,
        handedOutAt: r.handedOutAt?.toISOString() ?? null,
        handedOutBy: r.handedOutBy,
        revokedAt: r.revokedAt?.toISOString() ?? null,
        reason: r.revokedReason,
        gross,
        reversed,
      })),
    }),
  }),
];

export function adminRoutes(ctx: RewardContext): Route[] {
  return [...ruleCollection(ctx), ...ruleItem(ctx), ...overviewRoutes(ctx)];
}

// Admin: reward rules (data, not code) and every office's stock; finance: flagged rewards.
import { conflict, notFound, parseInput, requireRole, unprocessable } from '@bfi/http';
import type { Express } from 'express';
import { flaggedRewards } from '../db/rewards-repo';
import {
  countDecisionsOfRule,
  createRule,
  deleteRule,
  findRule,
  listRules,
  replaceRule,
  type RuleInput,
} from '../db/rules-repo';
import { stockOverview } from '../db/stock-repo';
import { ruleProblems } from '../domain';
import type { RewardContext } from '../usecases/context';
import { lowStockOf } from './office-routes';
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

export function adminRoutes(app: Express, ctx: RewardContext): void {
  const admin = requireRole('admin');

  app.get('/admin/rules', admin, async (_req, res) => {
    res.json({ rules: (await listRules(ctx.db)).map(ruleView) });
  });

  app.post('/admin/rules', admin, async (req, res) => {
    const input = toRuleInput(parseInput(RuleBody, req.body));
    const rule = await ctx.db.$transaction((tx) => createRule(tx, input));
    res.status(201).location(`/admin/rules/${rule.id}`).json(ruleView(rule));
  });

  app.get('/admin/rules/:ruleId', admin, async (req, res) => {
    const { ruleId } = parseInput(RuleParams, req.params, 'path');
    const rule = await findRule(ctx.db, ruleId);
    if (!rule) throw notFound(`There is no reward rule ${ruleId}.`);
    res.json(ruleView(rule));
  });

  // Decisions already made keep the rule they were made under (the decision records the
  // threshold); a change applies to donations posted from now on.
  app.put('/admin/rules/:ruleId', admin, async (req, res) => {
    const { ruleId } = parseInput(RuleParams, req.params, 'path');
    const input = toRuleInput(parseInput(RuleBody, req.body));
    if (!(await findRule(ctx.db, ruleId))) throw notFound(`There is no reward rule ${ruleId}.`);
    const rule = await ctx.db.$transaction((tx) => replaceRule(tx, ruleId, input));
    res.json(ruleView(rule));
  });

  app.delete('/admin/rules/:ruleId', admin, async (req, res) => {
    const { ruleId } = parseInput(RuleParams, req.params, 'path');
    if (!(await findRule(ctx.db, ruleId))) throw notFound(`There is no reward rule ${ruleId}.`);
    const used = await countDecisionsOfRule(ctx.db, ruleId);
    if (used > 0) {
      throw conflict(
        `Rule ${ruleId} decided ${used} donations and stays on record; end it by setting activeUntil instead.`,
      );
    }
    await ctx.db.$transaction((tx) => deleteRule(tx, ruleId));
    res.status(204).end();
  });

  app.get('/admin/stock', admin, async (_req, res) => {
    const offices = await stockOverview(ctx.db);
    res.json({
      offices: offices.map((o) => ({
        ...o,
        ...lowStockOf(ctx, o.available),
        lastMovementAt: o.lastMovementAt?.toISOString() ?? null,
      })),
      totals: offices.reduce(
        (t, o) => ({
          available: t.available + o.available,
          reserved: t.reserved + o.reserved,
          waitingList: t.waitingList + o.waitingList,
        }),
        { available: 0, reserved: 0, waitingList: 0 },
      ),
    });
  });

  app.get('/finance/flagged-rewards', requireRole('finance'), async (req, res) => {
    const { limit } = parseInput(ListQuery, req.query, 'query');
    const rows = await flaggedRewards(ctx.db, limit);
    res.json({
      rewards: rows.map((r) => ({
        rewardId: r.id,
        donationId: r.donationId,
        kind: r.kind,
        officeId: r.officeId,
        handedOutAt: r.handedOutAt?.toISOString() ?? null,
        handedOutBy: r.handedOutBy,
        revokedAt: r.revokedAt?.toISOString() ?? null,
        reason: r.revokedReason,
        gross: { minor: Number(r.decision.grossMinor), currency: r.decision.currency },
        reversed: { minor: Number(r.decision.reversedMinor), currency: r.decision.currency },
      })),
    });
  });
}

import type { Channel, OutOfStockPolicy, Rule, RewardKind } from '../domain';
import type { Reader, Tx } from './client';
import type { RewardRule, RuleMinimum } from './generated/client';

export interface RuleInput {
  campaign: string;
  channel: Channel;
  fund: string | null;
  kind: RewardKind;
  outOfStock: OutOfStockPolicy;
  priority: number;
  /** Omitted: the table's default (1, only a monthly gift's first installment earns a pack). */
  installmentsUpTo?: number | null;
  activeFrom: Date;
  activeUntil: Date | null;
  minimums: Record<string, number>;
}

type RuleRow = RewardRule & { minimums: RuleMinimum[] };

/** Row → domain rule; minor units leave the database as BigInt and become safe integers here. */
export function toRule(row: RuleRow): Rule {
  return {
    id: row.id,
    campaign: row.campaign,
    channel: row.channel as Channel,
    fund: row.fund,
    kind: row.kind as RewardKind,
    outOfStock: row.outOfStock as OutOfStockPolicy,
    priority: row.priority,
    installmentsUpTo: row.installmentsUpTo,
    activeFrom: row.activeFrom,
    activeUntil: row.activeUntil,
    minimums: Object.fromEntries(row.minimums.map((m) => [m.currency, Number(m.minor)])),
    createdAt: row.createdAt,
  };
}

const withMinimums = { minimums: { orderBy: { currency: 'asc' as const } } };

export async function listRules(db: Reader): Promise<Rule[]> {
  const rows = await db.rewardRule.findMany({
    include: withMinimums,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toRule);
}

export async function findRule(db: Reader, id: string): Promise<Rule | null> {
  const row = await db.rewardRule.findUnique({ where: { id }, include: withMinimums });
  return row ? toRule(row) : null;
}

/** Rules of a channel that may be active at `at` (the domain makes the final call). */
export async function rulesForChannel(db: Reader, channel: Channel, at: Date): Promise<Rule[]> {
  const rows = await db.rewardRule.findMany({
    where: {
      channel,
      activeFrom: { lte: at },
      OR: [{ activeUntil: null }, { activeUntil: { gt: at } }],
    },
    include: withMinimums,
  });
  return rows.map(toRule);
}

function minimumRows(minimums: Record<string, number>) {
  return Object.entries(minimums).map(([currency, minor]) => ({ currency, minor: BigInt(minor) }));
}

export async function createRule(tx: Tx, input: RuleInput): Promise<Rule> {
  const { minimums, ...fields } = input;
  const row = await tx.rewardRule.create({
    data: { ...fields, minimums: { create: minimumRows(minimums) } },
    include: withMinimums,
  });
  return toRule(row);
}

/** Replaces the rule's fields (and its minimums) with `input`. */
export async function replaceRule(tx: Tx, id: string, input: RuleInput): Promise<Rule> {
  const { minimums, ...fields } = input;
  await tx.ruleMinimum.deleteMany({ where: { ruleId: id } });
  const row = await tx.rewardRule.update({
    where: { id },
    data: { ...fields, minimums: { create: minimumRows(minimums) } },
    include: withMinimums,
  });
  return toRule(row);
}

export async function countDecisionsOfRule(db: Reader, id: string): Promise<number> {
  return db.decision.count({ where: { ruleId: id } });
}

export async function deleteRule(tx: Tx, id: string): Promise<void> {
  await tx.rewardRule.delete({ where: { id } });
}

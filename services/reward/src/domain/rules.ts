// Reward rules are data; this file decides which rule (if any) a donation meets.
export type Channel = 'online' | 'office';
export type RewardKind = 'physical-sticker-pack' | 'digital-sticker-pack';
export type OutOfStockPolicy = 'wait-for-stock' | 'digital-fallback';

export interface Rule {
  id: string;
  campaign: string;
  channel: Channel;
  fund: string | null;
  kind: RewardKind;
  outOfStock: OutOfStockPolicy;
  priority: number;
  /** Installments of a monthly gift that earn a pack: 1..N; null = every one. One-off gifts always may. */
  installmentsUpTo: number | null;
  activeFrom: Date;
  activeUntil: Date | null;
  /** Minimum gross per currency, in minor units. A currency not listed does not qualify. */
  minimums: Record<string, number>;
  createdAt: Date;
}

export interface DonationFacts {
  channel: Channel;
  officeId: string | null;
  fund: string;
  gross: { minor: number; currency: string };
  /** Which installment of a monthly gift this is; null for a one-off gift. */
  installment: number | null;
  /** When the ledger posted it: the active period is checked against this. */
  postedAt: Date;
}

export type RuleMatch =
  { matched: true; rule: Rule; thresholdMinor: number } | { matched: false; reason: string };

export function isActive(rule: Pick<Rule, 'activeFrom' | 'activeUntil'>, at: Date): boolean {
  return rule.activeFrom <= at && (rule.activeUntil === null || at < rule.activeUntil);
}

/**
 * The best rule the donation meets: highest priority, then the oldest rule (stable when
 * admins add overlapping rules). When none matches, the reason says why, for staff and logs.
 */
export function matchRule(rules: readonly Rule[], donation: DonationFacts): RuleMatch {
  const { currency, minor } = donation.gross;
  const candidates = rules.filter(
    (r) =>
      r.channel === donation.channel &&
      (r.fund === null || r.fund === donation.fund) &&
      isActive(r, donation.postedAt),
  );
  if (candidates.length === 0) {
    return {
      matched: false,
      reason: `no active ${donation.channel} rule for fund ${donation.fund}`,
    };
  }
  const forInstallment = candidates.filter((r) => earnsForInstallment(r, donation.installment));
  if (forInstallment.length === 0) {
    return {
      matched: false,
      reason: `installment ${donation.installment} of a monthly gift: the active rules reward only earlier installments`,
    };
  }
  const inCurrency = forInstallment.filter((r) => r.minimums[currency] !== undefined);
  if (inCurrency.length === 0) {
    return { matched: false, reason: `no active rule sets a minimum in ${currency}` };
  }
  const met = inCurrency.filter((r) => minor >= (r.minimums[currency] ?? Infinity));
  if (met.length === 0) {
    const lowest = Math.min(...inCurrency.map((r) => r.minimums[currency] ?? Infinity));
    return {
      matched: false,
      reason: `${minor} ${currency} (minor units) is below the minimum of ${lowest}`,
    };
  }
  const [best] = [...met].sort(
    (a, b) =>
      b.priority - a.priority ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  );
  if (!best) return { matched: false, reason: 'no rule' };
  return { matched: true, rule: best, thresholdMinor: best.minimums[currency] ?? minor };
}

/** A one-off gift (installment null) is never limited; an installment only up to the rule's N. */
function earnsForInstallment(rule: Rule, installment: number | null): boolean {
  return (
    installment === null || rule.installmentsUpTo === null || installment <= rule.installmentsUpTo
  );
}

/** Problems with a rule an admin submits, written for the admin; empty when fine. */
export function ruleProblems(
  rule: Pick<Rule, 'channel' | 'kind' | 'activeFrom' | 'activeUntil' | 'minimums'>,
): string[] {
  const problems: string[] = [];
  if (rule.kind === 'physical-sticker-pack' && rule.channel !== 'office') {
    problems.push(
      'a physical sticker pack is handed out in an office: use channel "office" or a digital pack',
    );
  }
  if (rule.activeUntil !== null && rule.activeUntil <= rule.activeFrom) {
    problems.push('activeUntil must be after activeFrom');
  }
  if (Object.keys(rule.minimums).length === 0) {
    problems.push('give a minimum amount for at least one currency');
  }
  return problems;
}

import type { FundStatus } from '@bfi/events';
import type { Db } from '../../db/client';
import { createFund, findFund, listFunds, setFundStatus, type FundRecord } from '../db/funds-repo';
import { fundTotals, type GroupBy } from '../db/totals-repo';
import { LedgerError, noSuchFund, type Fund } from '../domain';
import type { LedgerDeps } from './deps';

export async function fundList(db: Db): Promise<{ funds: FundRecord[] }> {
  return { funds: await listFunds(db) };
}

/** Creates a fund (announced on ledger.funds in the same transaction). */
export async function addFund(deps: LedgerDeps, fund: Fund): Promise<FundRecord> {
  if (!(await createFund(deps.db, fund, deps.namespace)))
    throw new LedgerError('conflict', `A fund with slug "${fund.slug}" already exists.`);
  deps.onCommitted();
  return { ...fund, status: 'open', version: 1 };
}

/**
 * Closing stops new gifts (payment refuses them once it has the ledger.fund-changed event);
 * gifts already charged still post, so closing never strands money at the provider. Reopening
 * takes gifts again. Either is announced in the change's transaction.
 */
export async function changeFundStatus(
  deps: LedgerDeps,
  slug: string,
  status: FundStatus,
): Promise<FundRecord> {
  const updated = await setFundStatus(deps.db, slug, status, deps.namespace);
  if (!updated) throw noSuchFund(slug);
  deps.onCommitted();
  return updated;
}

export async function fundTotalsReport(
  db: Db,
  fund: string,
  q: { groupBy: GroupBy; from?: Date; to?: Date },
) {
  if (!(await findFund(db, fund))) throw noSuchFund(fund);
  const rows = await fundTotals(db, { fund, groupBy: q.groupBy, from: q.from, to: q.to });
  return {
    fund,
    from: q.from?.toISOString() ?? null,
    to: q.to?.toISOString() ?? null,
    groupBy: q.groupBy,
    amountsIn: 'minor units' as const,
    rows,
  };
}

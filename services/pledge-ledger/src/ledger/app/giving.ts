import { givingTotals, monthlyRunRate } from '../db/recurrence-repo';
import type { LedgerDeps } from './deps';

/** Finance's view of giving: one-off vs monthly per fund and currency, and the monthly run-rate. */
export async function givingReport(deps: Pick<LedgerDeps, 'db'>) {
  const [funds, runRate] = await Promise.all([givingTotals(deps.db), monthlyRunRate(deps.db)]);
  return { funds, runRate };
}

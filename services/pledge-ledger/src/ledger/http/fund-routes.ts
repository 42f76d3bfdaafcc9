import { notFound, parseInput, requireRole } from '@bfi/http';
import type { Express } from 'express';
import { setFundStatus } from '../db/funds-repo';
import type { RouteDeps } from './routes';
import { FundSlugParam, FundStatusBody } from './schemas';

/**
 * PATCH /funds/:fund {status}. Closing stops new gifts (payment refuses them once it has the
 * ledger.fund-changed event); gifts already charged still post, so closing never strands money
 * at the provider. Reopening takes gifts again. Either is announced in the change's transaction.
 */
export function mountFundStatusRoute(app: Express, deps: RouteDeps): void {
  app.patch('/funds/:fund', requireRole('finance'), async (req, res) => {
    const { fund } = parseInput(FundSlugParam, req.params, 'path');
    const { status } = parseInput(FundStatusBody, req.body ?? {});
    const updated = await setFundStatus(deps.db, fund, status, deps.namespace);
    if (!updated) throw notFound(`There is no fund "${fund}". GET /funds lists the funds.`);
    deps.onCommitted();
    res.json(updated);
  });
}

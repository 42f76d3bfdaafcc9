import { defineRoute, mountRouteTable, openApiDocument, type Route } from '@bfi/http';
import type { Express } from 'express';
import { ledgerErrors } from './ledger/http/errors';
import { OpenApiView } from './ledger/http/responses';
import { ledgerRoutes, type RouteDeps } from './ledger/http/routes';
import { reconRoutes, type ReconRouteDeps } from './reconciliation/http/recon-routes';

const INFO = {
  title: '#BullyingFreeInternet pledge-ledger',
  version: '1.0.0',
  description:
    'Double-entry ledger of the donation campaign (funds, fund totals, journal, audit of the hash chain, payouts, public campaign totals) and its reconciliation with provider statements (imports, runs, resolutions, CSV and PDF exports). Amounts are integer minor units.',
};

const TAGS = [
  { name: 'ledger', description: 'Funds, totals, the journal and its audit, payouts' },
  { name: 'dead letters', description: 'Events no consumer could apply, and their replay' },
  { name: 'statements', description: 'Provider statement lines: imports and uploads' },
  { name: 'reconciliation', description: 'Runs, their lines and the resolutions of discrepancies' },
  { name: 'exports', description: 'CSV files for accounting' },
];

/** Both modules' route tables and the document generated from them; one table, one document. */
export function mountServiceRoutes(
  app: Express,
  deps: { ledger: RouteDeps; reconciliation: ReconRouteDeps; checkResponses: boolean },
): void {
  const routes: Route[] = [...ledgerRoutes(deps.ledger), ...reconRoutes(deps.reconciliation)];
  let document: object | undefined;
  // The document is served from the table but not listed in it (like /healthz and /metrics).
  const openApiRoute: Route = defineRoute({
    operationId: 'getLedgerOpenApi',
    method: 'get',
    path: '/openapi.json',
    summary: 'This document: every endpoint of the service, generated from its route tables',
    access: 'public',
    response: { status: 200, description: 'OpenAPI 3.1 document', schema: OpenApiView },
    handle: (): object => (document ??= openApiDocument(INFO, routes, { tags: TAGS })),
  });
  mountRouteTable(app, [openApiRoute, ...routes], { checkResponses: deps.checkResponses });
  app.use(ledgerErrors);
}

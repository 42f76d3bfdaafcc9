import { defineRoute, parseInput, principalOf, reply, requireRole, type Route } from '@bfi/http';
import express from 'express';
import { z } from 'zod';
import { LedgerError } from '../../ledger';
import { resolveLine } from '../app/resolutions';
import { launchRun, rerun } from '../app/runs';
import { lineResolutions, requireRun, runLinesPage, runList } from '../app/run-views';
import {
  importStatement,
  type StatementDeps,
  listImports,
  listStatementLines,
  uploadStatement,
} from '../app/statements';
import { exportRoutes, runDownloadRoutes } from './download-routes';
import {
  ImportBody,
  importSchemaFor,
  LineParam,
  LinesQuery,
  ResolveBody,
  RunBody,
  RunParam,
  StatementsQuery,
  UploadQuery,
} from './recon-schemas';
import {
  ImportList,
  ImportResultView,
  PostedResolution,
  ResolutionList,
  RunLinesPage,
  RunList,
  RunViewSchema,
  StatementLinesPage,
} from './responses';

/** What the reconciliation endpoints need: the database, the provider SDKs, a logger. */
export type ReconRouteDeps = StatementDeps;

const finance = ['finance'] as const;
/** Statement reports can be large; only the upload takes a CSV body (after the role check). */
const csvBody = express.text({
  type: ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'],
  limit: '50mb',
});
const PreferHeader = z.object({
  prefer: z.string().optional().describe('`respond-async` (RFC 7240): answer 202 at once'),
});
const respondAsync = (prefer: string | undefined) => /\brespond-async\b/i.test(prefer ?? '');

/** 201 with the finished run, or 202 with the started one under `Prefer: respond-async`. */
function runAnswer(run: { id: string }, asynchronously: boolean) {
  const location = `/reconciliation/runs/${run.id}`;
  return asynchronously
    ? reply(run, {
        status: 202,
        headers: { location, 'preference-applied': 'respond-async' },
      })
    : reply(run, { status: 201, headers: { location } });
}

function statementRoutes({ db, providers, logger }: ReconRouteDeps): Route[] {
  const tags = ['statements'];
  return [
    defineRoute({
      operationId: 'importStatement',
      method: 'post',
      path: '/statements/import',
      summary:
        'Import provider statement lines through the Stripe SDK (period or payout) or PayPal Transaction Search (period); idempotent',
      tags,
      access: finance,
      // A body with a payoutId is read as an import by payout, any other as one by period, so
      // each gets its own field errors (importSchemaFor); the document shows both.
      bodyKind: 'raw',
      rawBodySchema: ImportBody,
      response: { status: 200, description: 'What the import added', schema: ImportResultView },
      problems: {
        422: 'The provider has nothing under that reference',
        502: 'The provider failed or sent a line the ledger cannot take',
        503: 'That provider is not configured',
      },
      handle: ({ req }) => {
        const body = parseInput(importSchemaFor(req.body), req.body);
        return importStatement({ db, providers, logger }, body, principalOf(req).name);
      },
    }),
    defineRoute({
      operationId: 'uploadStatement',
      method: 'post',
      path: '/statements/upload',
      summary:
        'Upload a Stripe balance change / payout reconciliation report or a PayPal activity CSV; validated whole, stored whole or not at all',
      description: 'The body is the report file itself, with Content-Type: text/csv.',
      tags,
      access: finance,
      before: [requireRole('finance'), csvBody],
      query: UploadQuery,
      response: { status: 200, description: 'What the import added', schema: ImportResultView },
      problems: {
        415: 'The body is not a CSV file',
        422: 'The file has problems; `problems` lists each (row, column, message)',
      },
      handle: ({ query, req }) => {
        if (typeof req.body !== 'string')
          throw new LedgerError(
            'unsupported',
            'Send the report file itself as the body with Content-Type: text/csv.',
          );
        return uploadStatement(db, {
          format: query.format,
          text: req.body,
          fileName: query.filename,
          by: principalOf(req).name,
        });
      },
    }),
  ];
}

function statementReadRoutes({ db }: ReconRouteDeps): Route[] {
  const tags = ['statements'];
  return [
    defineRoute({
      operationId: 'listStatementLines',
      method: 'get',
      path: '/statements',
      summary: 'Stored statement lines (keyset pages)',
      tags,
      access: finance,
      query: StatementsQuery,
      response: { status: 200, description: 'Lines', schema: StatementLinesPage },
      handle: ({ query: q }) =>
        listStatementLines(db, {
          provider: q.provider,
          from: q.from,
          to: q.to,
          after: q.cursor,
          limit: q.limit,
        }),
    }),
    defineRoute({
      operationId: 'listStatementImports',
      method: 'get',
      path: '/statements/imports',
      summary: 'Imports and what each added',
      tags,
      access: finance,
      response: { status: 200, description: 'Imports', schema: ImportList },
      handle: () => listImports(db),
    }),
  ];
}

function runRoutes(deps: ReconRouteDeps): Route[] {
  const tags = ['reconciliation'];
  const runResponse = {
    status: 201 as const,
    also: { 202: 'The run, started (status running): GET its Location for progress' },
    description: 'The run with its summary',
    schema: RunViewSchema,
  };
  return [
    defineRoute({
      operationId: 'startReconciliationRun',
      method: 'post',
      path: '/reconciliation/runs',
      summary:
        'Run a reconciliation of a period (optionally one provider). With `Prefer: respond-async`: 202 at once, then GET the run for its progress',
      tags,
      access: finance,
      headers: PreferHeader,
      body: RunBody,
      response: runResponse,
      handle: async ({ body, headers, req }) => {
        const asynchronously = respondAsync(headers.prefer);
        const params = { ...body, createdBy: principalOf(req).name };
        return runAnswer(await launchRun(deps, params, !asynchronously), asynchronously);
      },
    }),
    defineRoute({
      operationId: 'rerunReconciliation',
      method: 'post',
      path: '/reconciliation/runs/:runId/rerun',
      summary:
        'Run the same period and provider again (a new run; `Prefer: respond-async` as above)',
      tags,
      access: finance,
      params: RunParam,
      headers: PreferHeader,
      response: { ...runResponse, description: 'The new run with its summary' },
      problems: { 404: 'No such run' },
      handle: async ({ params, headers, req }) => {
        const asynchronously = respondAsync(headers.prefer);
        const run = await rerun(deps, params.runId, principalOf(req).name, !asynchronously);
        return runAnswer(run, asynchronously);
      },
    }),
  ];
}

function runReadRoutes({ db }: ReconRouteDeps): Route[] {
  const tags = ['reconciliation'];
  return [
    defineRoute({
      operationId: 'listReconciliationRuns',
      method: 'get',
      path: '/reconciliation/runs',
      summary: 'Runs, newest first',
      tags,
      access: finance,
      response: { status: 200, description: 'Runs', schema: RunList },
      handle: () => runList(db),
    }),
    defineRoute({
      operationId: 'getReconciliationRun',
      method: 'get',
      path: '/reconciliation/runs/:runId',
      summary:
        'One run: status running (with progress: phase, processed and the expected total of keys), completed (with summary) or failed (with error)',
      tags,
      access: finance,
      params: RunParam,
      response: { status: 200, description: 'Run', schema: RunViewSchema },
      problems: { 404: 'No such run' },
      handle: ({ params }) => requireRun(db, params.runId),
    }),
  ];
}

function lineRoutes({ db }: ReconRouteDeps): Route[] {
  const tags = ['reconciliation'];
  return [
    defineRoute({
      operationId: 'listReconciliationLines',
      method: 'get',
      path: '/reconciliation/runs/:runId/lines',
      summary: 'Classified lines with their latest resolution',
      tags,
      access: finance,
      params: RunParam,
      query: LinesQuery,
      response: { status: 200, description: 'Lines', schema: RunLinesPage },
      problems: { 404: 'No such run', 409: 'The run is not completed' },
      handle: ({ params, query: q }) =>
        runLinesPage(db, params.runId, {
          status: q.status,
          discrepanciesOnly: q.discrepancies === 'true',
          after: q.cursor,
          limit: q.limit,
        }),
    }),
    defineRoute({
      operationId: 'resolveReconciliationLine',
      method: 'post',
      path: '/reconciliation/runs/:runId/lines/:lineNo/resolution',
      summary:
        'Resolve a discrepancy: accept (comment), correct (posts a correction entry), reopen',
      tags,
      access: finance,
      params: LineParam,
      body: ResolveBody,
      response: { status: 201, description: 'Resolution', schema: PostedResolution },
      problems: {
        404: 'No such run or line',
        409: 'Nothing to resolve, already resolved, or the ledger changed since the run',
        422: 'No such fund, or no correction can be posted for this line',
      },
      handle: ({ params, body, req }) =>
        resolveLine(db, { ...params, ...body, by: principalOf(req).name }),
    }),
    defineRoute({
      operationId: 'listLineResolutions',
      method: 'get',
      path: '/reconciliation/runs/:runId/lines/:lineNo/resolutions',
      summary: 'Audit trail of a line',
      tags,
      access: finance,
      params: LineParam,
      response: { status: 200, description: 'Resolutions', schema: ResolutionList },
      problems: { 404: 'No such run' },
      handle: ({ params }) => lineResolutions(db, params.runId, params.lineNo),
    }),
  ];
}

/** Every endpoint of the reconciliation module, in mount order. */
export function reconRoutes(deps: ReconRouteDeps): Route[] {
  return [
    ...statementRoutes(deps),
    ...statementReadRoutes(deps),
    ...runRoutes(deps),
    ...runReadRoutes(deps),
    ...lineRoutes(deps),
    ...runDownloadRoutes(deps),
    ...exportRoutes(deps),
  ];
}

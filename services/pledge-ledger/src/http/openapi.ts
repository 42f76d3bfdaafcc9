import { openApiDocument as routeTableDocument } from '@bfi/http';
import { z } from 'zod';
import type { Db } from '../db/client';
import { givingRoutes } from './giving-routes';
import {
  ExportQuery,
  ImportBody,
  LinesQuery,
  ReportQuery,
  ResolveBody,
  RunBody,
  StatementsQuery,
  UploadQuery,
} from './recon-schemas';
import {
  CreateFundBody,
  FundStatusBody,
  JournalQuery,
  PayoutBody,
  ReplayBody,
  TotalsQuery,
} from './schemas';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function queryParams(schema: z.ZodObject) {
  const doc = json(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: doc.required?.includes(name) ?? false,
    schema: s,
  }));
}

const problem = {
  description: 'problem+json',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const finance = [{ apiKey: [] }];
const ok = (description: string) => ({ description, content: { 'application/json': {} } });

let cached: object | undefined;

/** Operations defined in route tables (@bfi/http): their documentation comes from the table. */
function routeTablePaths(): Record<string, unknown> {
  // Only the specs are read here; the handlers (which use the database) never run.
  const routes = givingRoutes({ db: undefined as unknown as Db });
  const doc = routeTableDocument({ title: '', version: '', description: '' }, routes);
  return (doc as { paths: Record<string, unknown> }).paths;
}

/** OpenAPI 3.1 document; request schemas come from the same zod schemas that validate. */
export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: '#BullyingFreeInternet pledge-ledger',
      version: '1.0.0',
      description:
        'Double-entry ledger of the donation campaign: funds, fund totals, journal, audit of the hash chain, public campaign totals. Amounts are integer minor units.',
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key with the finance (or admin) role',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
          },
        },
        CreateFund: json(CreateFundBody),
        FundStatus: json(FundStatusBody),
        DeadLetterReplay: json(ReplayBody),
        Payout: json(PayoutBody),
        StatementImport: json(ImportBody),
        ReconciliationRun: json(RunBody),
        Resolution: json(ResolveBody),
      },
    },
    paths: {
      ...routeTablePaths(),
      '/funds': {
        get: {
          summary: 'List funds',
          security: finance,
          responses: { 200: ok('Funds'), 401: problem, 403: problem },
        },
        post: {
          summary: 'Create a fund',
          security: finance,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/CreateFund' } },
            },
          },
          responses: { 201: ok('Created'), 400: problem, 409: problem },
        },
      },
      ...fundStatusAndDeadLetterPaths(),
      '/funds/{fund}/totals': {
        get: {
          summary:
            'Fund totals: gross, fees, refunds, disputes held, net, count (per currency and group)',
          security: finance,
          parameters: [
            { name: 'fund', in: 'path', required: true, schema: { type: 'string' } },
            ...queryParams(TotalsQuery),
          ],
          responses: { 200: ok('Totals'), 400: problem, 404: problem },
        },
      },
      '/journal': {
        get: {
          summary:
            'Journal entries with their lines, in chain order, by fund, period, donation or provider ref (keyset pagination: pass nextCursor as cursor)',
          security: finance,
          parameters: queryParams(JournalQuery),
          responses: { 200: ok('A page of entries'), 400: problem },
        },
      },
      '/audit/verify': {
        get: {
          summary: 'Walk the hash chain and report the first break',
          security: finance,
          responses: { 200: ok('Audit report') },
        },
      },
      '/parked': {
        get: {
          summary: 'Events waiting for the event they depend on (e.g. refund before payment)',
          security: finance,
          responses: { 200: ok('Parked events') },
        },
      },
      '/payouts': {
        post: {
          summary: 'Post a provider payout to the bank (Dr bank / Cr clearing)',
          security: finance,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Payout' } } },
          },
          responses: { 201: ok('Posted'), 400: problem, 409: problem },
        },
      },
      ...reconciliationPaths(),
      '/campaign/totals': {
        get: {
          summary: 'Public: raised per currency and donors count',
          responses: { 200: ok('Campaign totals'), 429: problem },
        },
      },
      '/campaign/totals/stream': {
        get: {
          summary: 'Public: server-sent events ("totals") whenever the campaign totals change',
          responses: {
            200: { description: 'text/event-stream', content: { 'text/event-stream': {} } },
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: ok('ok') } } },
      '/readyz': {
        get: {
          summary: 'Readiness (database, consumer)',
          responses: { 200: ok('ready'), 503: ok('not ready') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics, incl. messaging_consumer_lag',
          responses: { 200: { description: 'text/plain' } },
        },
      },
    },
  };
  return cached;
}

const body = (name: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});
const runId = {
  name: 'runId',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const lineNo = {
  name: 'lineNo',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
};
const csv = (description: string) => ({ description, content: { 'text/csv': {} } });

/** Closing or reopening a fund, and the dead letters of every consumer (finance role). */
function fundStatusAndDeadLetterPaths(): Record<string, object> {
  const fund = { name: 'fund', in: 'path', required: true, schema: { type: 'string' } };
  return {
    '/funds/{fund}': {
      patch: {
        summary:
          'Close a fund (payment refuses new gifts; gifts already charged still post) or reopen it',
        security: finance,
        parameters: [fund],
        requestBody: body('FundStatus'),
        responses: { 200: ok('The fund'), 400: problem, 404: problem },
      },
    },
    '/dead-letters': {
      get: {
        summary:
          'Dead-lettered events of every consumer: reason, error, source, event id/type/subject, replayed or not',
        security: finance,
        responses: { 200: ok('Dead letters'), 401: problem, 403: problem },
      },
    },
    '/dead-letters/replay': {
      post: {
        summary:
          'Send one dead letter ({id}) or every one not replayed yet ({all:true}) back to its topic; inboxes dedupe',
        security: finance,
        requestBody: body('DeadLetterReplay'),
        responses: { 200: ok('What was replayed'), 400: problem, 404: problem },
      },
    },
  };
}

/** Statement imports, reconciliation runs, resolutions and finance exports (finance role). */
function reconciliationPaths(): Record<string, object> {
  return {
    '/statements/import': {
      post: {
        summary:
          'Import provider statement lines through the Stripe SDK (period or payout) or PayPal Transaction Search (period); idempotent',
        security: finance,
        requestBody: body('StatementImport'),
        responses: {
          200: ok('{ importId, inserted, updated, unchanged, skipped, conflicting, conflicts }'),
          400: problem,
          502: problem,
          503: problem,
        },
      },
    },
    '/statements/upload': {
      post: {
        summary:
          'Upload a Stripe balance change / payout reconciliation report or a PayPal activity CSV; validated whole, stored whole or not at all',
        security: finance,
        parameters: queryParams(UploadQuery),
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
        responses: { 200: ok('Import counts'), 400: problem, 415: problem, 422: problem },
      },
    },
    '/statements': {
      get: {
        summary: 'Stored statement lines (keyset pages)',
        security: finance,
        parameters: queryParams(StatementsQuery),
        responses: { 200: ok('Lines') },
      },
    },
    '/statements/imports': {
      get: {
        summary: 'Imports and what each added',
        security: finance,
        responses: { 200: ok('Imports') },
      },
    },
    '/reconciliation/runs': {
      post: {
        summary:
          'Run a reconciliation of a period (optionally one provider). With `Prefer: respond-async`: 202 at once, then GET the run for its progress',
        security: finance,
        requestBody: body('ReconciliationRun'),
        responses: {
          201: ok('The run with its summary'),
          202: ok('The run, started (status running)'),
          400: problem,
        },
      },
      get: { summary: 'Runs, newest first', security: finance, responses: { 200: ok('Runs') } },
    },
    '/reconciliation/runs/{runId}': {
      get: {
        summary:
          'One run: status running (with progress: phase, processed and the expected total of keys), completed (with summary) or failed (with error)',
        security: finance,
        parameters: [runId],
        responses: { 200: ok('Run'), 404: problem },
      },
    },
    '/reconciliation/runs/{runId}/rerun': {
      post: {
        summary:
          'Run the same period and provider again (a new run; `Prefer: respond-async` as above)',
        security: finance,
        parameters: [runId],
        responses: { 201: ok('New run'), 202: ok('New run, started'), 404: problem },
      },
    },
    '/reconciliation/runs/{runId}/lines': {
      get: {
        summary: 'Classified lines with their latest resolution',
        security: finance,
        parameters: [runId, ...queryParams(LinesQuery)],
        responses: { 200: ok('Lines'), 404: problem },
      },
    },
    '/reconciliation/runs/{runId}/lines/{lineNo}/resolution': {
      post: {
        summary:
          'Resolve a discrepancy: accept (comment), correct (posts a correction entry), reopen',
        security: finance,
        parameters: [runId, lineNo],
        requestBody: body('Resolution'),
        responses: { 201: ok('Resolution'), 404: problem, 409: problem, 422: problem },
      },
    },
    '/reconciliation/runs/{runId}/lines/{lineNo}/resolutions': {
      get: {
        summary: 'Audit trail of a line',
        security: finance,
        parameters: [runId, lineNo],
        responses: { 200: ok('Resolutions') },
      },
    },
    '/reconciliation/runs/{runId}/lines.csv': {
      get: {
        summary: 'Reconciliation lines CSV (stable columns, see README)',
        security: finance,
        parameters: [runId],
        responses: { 200: csv('CSV') },
      },
    },
    '/reconciliation/runs/{runId}/report.pdf': {
      get: {
        summary: 'PDF report of the run',
        security: finance,
        parameters: [runId, ...queryParams(ReportQuery)],
        responses: {
          200: { description: 'PDF', content: { 'application/pdf': {} } },
          404: problem,
          409: problem,
        },
      },
    },
    '/exports/journal.csv': {
      get: {
        summary: 'Journal lines CSV for accounting import',
        security: finance,
        parameters: queryParams(ExportQuery),
        responses: { 200: csv('CSV') },
      },
    },
    '/exports/fund-totals.csv': {
      get: {
        summary: 'Fund totals CSV (per currency and group)',
        security: finance,
        parameters: queryParams(ExportQuery),
        responses: { 200: csv('CSV') },
      },
    },
  };
}

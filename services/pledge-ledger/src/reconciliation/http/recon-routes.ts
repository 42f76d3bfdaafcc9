import {
  badGateway,
  badRequest,
  HttpProblem,
  notFound,
  parseInput,
  principalOf,
  requireRole,
  unprocessable,
} from '@bfi/http';
import type { Logger } from '@bfi/messaging';
import type paypal from '@paypal/checkout-server-sdk';
import express, { type Express, type Request, type Response } from 'express';
import type Stripe from 'stripe';
import type { z } from 'zod';
import { CsvRejected, StatementError } from '../domain';
import type { Db } from '../../db/client';
import {
  findRun,
  listRuns,
  resolutionsOf,
  runLines,
  type RunParams,
} from '../db/reconciliation-repo';
import { resolveLine, ResolveError } from '../app/resolutions';
import { statementPage } from '../db/statement-repo';
import { findFund } from '../../ledger/db/funds-repo';
import { importCsv } from '../app/csv-upload';
import { fundTotalsCsv, journalCsv, reconciliationCsv } from '../app/exports';
import { importPayPal } from '../app/paypal-import';
import { reportStream } from '../app/pdf';
import { startRun } from '../app/runs';
import { importStripe } from '../app/stripe-import';
import { sendDownload } from './downloads';
import {
  ExportQuery,
  ImportBody,
  importSchemaFor,
  LineParam,
  LinesQuery,
  ReportQuery,
  ResolveBody,
  RunBody,
  RunParam,
  StatementsQuery,
  UploadQuery,
} from './recon-schemas';

export interface ProviderClients {
  stripe?: Stripe;
  paypal?: paypal.core.PayPalHttpClient;
}

export interface ReconRouteDeps {
  db: Db;
  providers: ProviderClients;
  logger: Logger;
}

const finance = requireRole('finance');
/** Statement reports can be large; only this route takes a CSV body. */
const csvBody = express.text({
  type: ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'],
  limit: '50mb',
});

/** A provider answered with an error or an unusable statement: 502 with what it said. */
function providerProblem(provider: string, err: unknown): HttpProblem {
  if (err instanceof StatementError)
    return badGateway(
      `${provider} returned a statement line the ledger cannot take: ${err.message}`,
    );
  const message = err instanceof Error ? err.message : String(err);
  // The provider said the request names nothing it has (an unknown payout id): the finance
  // user's input is wrong, not the provider — 422, so it reads as something to correct.
  const status =
    (err as { statusCode?: unknown; status?: unknown } | null)?.statusCode ??
    (err as { status?: unknown } | null)?.status;
  if (status === 404)
    return unprocessable(`${provider} has nothing under that reference: ${message}`);
  return badGateway(`${provider} refused or failed the statement request: ${message}`);
}

async function mustFindRun(db: Db, runId: string) {
  const run = await findRun(db, runId);
  if (!run)
    throw notFound(`There is no reconciliation run ${runId}. GET /reconciliation/runs lists them.`);
  return run;
}

/**
 * Starts a run. With `Prefer: respond-async` (RFC 7240) it answers 202 at once and the run goes
 * on; GET /reconciliation/runs/:id shows its phase and progress until it is completed or failed.
 * Without it the request waits for the run (fine for a month of a small campaign; big periods
 * take minutes, longer than proxies wait).
 */
async function answerRun(
  req: Request,
  res: Response,
  deps: ReconRouteDeps,
  params: RunParams,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { run, done } = await startRun(deps.db, params);
  const location = `/reconciliation/runs/${run.id}`;
  if (/\brespond-async\b/i.test(req.get('prefer') ?? '')) {
    done.catch((err: unknown) =>
      deps.logger.warn({ err, runId: run.id }, 'reconciliation run failed'),
    );
    res
      .status(202)
      .location(location)
      .set('preference-applied', 'respond-async')
      .json({ ...run, ...extra });
    return;
  }
  res
    .status(201)
    .location(location)
    .json({ ...(await done), ...extra });
}

/** Lines, CSV and PDF exist only for a completed run: a running one has none visible yet. */
async function mustFindCompletedRun(db: Db, runId: string) {
  const run = await mustFindRun(db, runId);
  if (run.status !== 'completed')
    throw new HttpProblem(
      409,
      'Conflict',
      run.status === 'running'
        ? `Run ${runId} is still running (${run.progress ? `${run.progress.phase}, ${run.progress.processed} keys classified` : 'starting'}); its lines appear when it completes.`
        : `Run ${runId} is ${run.status}; only a completed run has lines and a report.`,
    );
  return run;
}

export function mountReconRoutes(app: Express, deps: ReconRouteDeps): void {
  const { db, providers, logger } = deps;

  app.post('/statements/import', finance, async (req, res) => {
    const body: z.output<typeof ImportBody> = parseInput(importSchemaFor(req.body), req.body);
    const by = principalOf(req).name;
    if (body.provider === 'stripe') {
      if (!providers.stripe)
        throw new HttpProblem(
          503,
          'Service unavailable',
          'Stripe is not configured (STRIPE_SECRET_KEY).',
        );
      const query =
        'payoutId' in body ? { payoutId: body.payoutId } : { from: body.from, to: body.to };
      const result = await importStripe(db, providers.stripe, query, by).catch((err: unknown) => {
        throw providerProblem('Stripe', err);
      });
      logger.info({ ...result, query }, 'stripe statement imported');
      return res.status(200).json(result);
    }
    if (!providers.paypal)
      throw new HttpProblem(
        503,
        'Service unavailable',
        'PayPal is not configured (PAYPAL_CLIENT_ID).',
      );
    if ('payoutId' in body) throw badRequest('Import by payout is for Stripe only.');
    const result = await importPayPal(
      db,
      providers.paypal,
      { from: body.from, to: body.to },
      by,
    ).catch((err: unknown) => {
      throw providerProblem('PayPal', err);
    });
    logger.info({ ...result }, 'paypal statement imported');
    res.status(200).json(result);
  });

  app.post('/statements/upload', finance, csvBody, async (req, res) => {
    const q = parseInput(UploadQuery, req.query, 'query');
    if (typeof req.body !== 'string') {
      throw new HttpProblem(
        415,
        'Unsupported media type',
        'Send the report file itself as the body with Content-Type: text/csv.',
      );
    }
    try {
      const result = await importCsv(db, q.format, req.body, q.filename, principalOf(req).name);
      res.status(200).json(result);
    } catch (err) {
      if (err instanceof CsvRejected) throw unprocessable(err.message, { problems: err.problems });
      throw err;
    }
  });

  app.get('/statements', finance, async (req, res) => {
    const q = parseInput(StatementsQuery, req.query, 'query');
    const page = await statementPage(db, {
      provider: q.provider,
      from: q.from,
      to: q.to,
      after: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit,
    });
    res.json({
      lines: page.lines,
      nextCursor: page.nextAfter === null ? null : String(page.nextAfter),
    });
  });

  app.get('/statements/imports', finance, async (_req, res) => {
    const rows = await db.statementImport.findMany({ orderBy: { createdAt: 'desc' }, take: 200 });
    res.json({ imports: rows });
  });

  app.post('/reconciliation/runs', finance, async (req, res) => {
    const body = parseInput(RunBody, req.body);
    await answerRun(req, res, deps, {
      from: body.from,
      to: body.to,
      provider: body.provider,
      createdBy: principalOf(req).name,
    });
  });

  app.get('/reconciliation/runs', finance, async (_req, res) => {
    res.json({ runs: await listRuns(db) });
  });

  app.get('/reconciliation/runs/:runId', finance, async (req, res) => {
    const { runId } = parseInput(RunParam, req.params, 'path');
    res.json(await mustFindRun(db, runId));
  });

  app.post('/reconciliation/runs/:runId/rerun', finance, async (req, res) => {
    const { runId } = parseInput(RunParam, req.params, 'path');
    const before = await mustFindRun(db, runId);
    await answerRun(
      req,
      res,
      deps,
      {
        from: new Date(before.from),
        to: new Date(before.to),
        provider: before.provider as 'stripe' | 'paypal' | null,
        createdBy: principalOf(req).name,
      },
      { rerunOf: runId },
    );
  });

  app.get('/reconciliation/runs/:runId/lines', finance, async (req, res) => {
    const { runId } = parseInput(RunParam, req.params, 'path');
    const q = parseInput(LinesQuery, req.query, 'query');
    await mustFindCompletedRun(db, runId);
    const lines = await runLines(db, runId, {
      status: q.status,
      discrepanciesOnly: q.discrepancies === 'true',
      after: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit,
    });
    res.json({
      lines,
      nextCursor: lines.length === q.limit ? String(lines.at(-1)!.lineNo) : null,
    });
  });

  app.post('/reconciliation/runs/:runId/lines/:lineNo/resolution', finance, async (req, res) => {
    const { runId, lineNo } = parseInput(LineParam, req.params, 'path');
    const body = parseInput(ResolveBody, req.body);
    try {
      const resolution = await resolveLine(db, {
        runId,
        lineNo,
        ...body,
        by: principalOf(req).name,
      });
      res.status(201).json(resolution);
    } catch (err) {
      if (err instanceof ResolveError) {
        const title = { 404: 'Not found', 409: 'Conflict', 422: 'Unprocessable content' }[
          err.status
        ];
        throw new HttpProblem(err.status, title, err.message);
      }
      throw err;
    }
  });

  app.get('/reconciliation/runs/:runId/lines/:lineNo/resolutions', finance, async (req, res) => {
    const { runId, lineNo } = parseInput(LineParam, req.params, 'path');
    await mustFindRun(db, runId);
    res.json({ resolutions: await resolutionsOf(db, runId, lineNo) });
  });

  app.get('/reconciliation/runs/:runId/lines.csv', finance, async (req, res) => {
    const { runId } = parseInput(RunParam, req.params, 'path');
    await mustFindCompletedRun(db, runId);
    await sendDownload(
      req,
      res,
      logger,
      { name: 'lines.csv', type: 'text/csv', fileName: `reconciliation-${runId}.csv` },
      reconciliationCsv(db, runId),
    );
  });

  app.get('/reconciliation/runs/:runId/report.pdf', finance, async (req, res) => {
    const { runId } = parseInput(RunParam, req.params, 'path');
    const q = parseInput(ReportQuery, req.query, 'query');
    await mustFindCompletedRun(db, runId);
    if (q.fund && !(await findFund(db, q.fund)))
      throw notFound(`There is no fund "${q.fund}". GET /funds lists the funds.`);
    await sendDownload(
      req,
      res,
      logger,
      { name: 'report.pdf', type: 'application/pdf', fileName: `reconciliation-${runId}.pdf` },
      reportStream(db, { runId, fund: q.fund }),
    );
  });

  app.get('/exports/journal.csv', finance, async (req, res) => {
    const q = parseInput(ExportQuery, req.query, 'query');
    await sendDownload(
      req,
      res,
      logger,
      { name: 'journal.csv', type: 'text/csv', fileName: 'journal.csv' },
      journalCsv(db, { from: q.from, to: q.to, fund: q.fund }),
    );
  });

  app.get('/exports/fund-totals.csv', finance, async (req, res) => {
    const q = parseInput(ExportQuery, req.query, 'query');
    if (q.fund && !(await findFund(db, q.fund)))
      throw notFound(`There is no fund "${q.fund}". GET /funds lists the funds.`);
    await sendDownload(
      req,
      res,
      logger,
      { name: 'fund-totals.csv', type: 'text/csv', fileName: 'fund-totals.csv' },
      fundTotalsCsv(db, { from: q.from, to: q.to, groupBy: q.groupBy, fund: q.fund }),
    );
  });
}

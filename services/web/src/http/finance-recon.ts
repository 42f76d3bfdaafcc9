// /finance/reconciliation: statements (upload, import), runs with progress, discrepancies,
// resolve / correct, the audit trail of a line, CSV and PDF of a run.
import type { Express, Request, Response } from 'express';
import { query } from '../app/finance-api';
import { notice, refusal } from '../views/finance-kit';
import { linePage } from '../views/finance-line';
import { reconPage, runPage } from '../views/finance-recon';
import { html } from '../views/html';
import { sendPage } from './context';
import {
  dateField,
  field,
  financeOnly,
  financeRequest,
  form,
  passThrough,
  type FinanceDeps,
} from './finance-console';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS = ['stripe-balance', 'stripe-payout', 'paypal-activity'];

const runPath = (id: string) => `/finance/reconciliation/runs/${id}`;

async function overview(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const [runs, imports] = await Promise.all([api.runs(), api.imports()]);
  const done = field(req.query, 'imported');
  const message = runs.ok
    ? done
      ? notice('ok', done)
      : notice('refused', field(req.query, 'error'))
    : refusal(ctx, runs);
  sendPage(
    res,
    200,
    reconPage(ctx, {
      runs: runs.ok ? runs.body.runs : [],
      imports: imports.ok ? imports.body.imports : [],
      message,
      period: { from: dateField(req.query, 'from'), to: dateField(req.query, 'to') },
    }),
  );
}

function period(req: Request): { from: string; to: string } | null {
  const from = dateField(req.body, 'from');
  const to = dateField(req.body, 'to');
  return from && to && from < to ? { from, to } : null;
}

function provider(req: Request): 'stripe' | 'paypal' | null {
  const p = field(req.body, 'provider');
  return p === 'stripe' || p === 'paypal' ? p : null;
}

async function startRun(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const p = period(req);
  if (!p)
    return void res.redirect(
      303,
      `/finance/reconciliation${query({ error: ctx.t('finance.recon.badPeriod') })}`,
    );
  const started = await api.startRun(p, provider(req));
  if (!started.ok)
    return void res.redirect(
      303,
      `/finance/reconciliation${query({ error: started.detail ?? String(started.status) })}`,
    );
  res.redirect(303, runPath(started.body.id));
}

async function importStatement(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const p = period(req);
  const prov = provider(req);
  if (!p || !prov)
    return void res.redirect(
      303,
      `/finance/reconciliation${query({ error: ctx.t('finance.recon.badPeriod') })}`,
    );
  const answer = await api.importStatement(prov, p);
  if (!answer.ok)
    return void res.redirect(
      303,
      `/finance/reconciliation${query({ error: answer.detail ?? String(answer.status) })}`,
    );
  res.redirect(
    303,
    `/finance/reconciliation${query({ imported: ctx.t('finance.recon.imported', { ...answer.body }) })}`,
  );
}

/**
 * The upload form (multipart: the CSRF guard has parsed it, the file is in req.files): the
 * file's text goes on to the ledger as text/csv, which checks every line.
 */
async function upload(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, person } = financeRequest(deps, req, res);
  const back = (q: Record<string, string | undefined>) =>
    res.redirect(303, `/finance/reconciliation${query(q)}`);
  const format = field(req.body, 'format');
  const files = (req as Request & { files?: { buffer: Buffer; originalname: string }[] }).files;
  const file = files?.[0];
  if (!format || !FORMATS.includes(format) || !file || file.buffer.length === 0)
    return back({ error: ctx.t('finance.recon.uploadMissing') });
  const filename = file.originalname.slice(0, 200) || 'upload.csv';
  const answer = await person.raw('ledger', `/statements/upload${query({ format, filename })}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: file.buffer.toString('utf8'),
  });
  const body = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (!answer.ok)
    return back({
      error: ctx.t('finance.common.refused', { detail: String(body.detail ?? answer.status) }),
    });
  back({ imported: ctx.t('finance.recon.uploaded', { ...body }) });
}

async function run(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  if (!UUID.test(id)) return void res.redirect(303, '/finance/reconciliation');
  const r = await api.run(id);
  if (!r.ok) return void res.redirect(303, `/finance/reconciliation${query({ error: r.detail })}`);
  const status = field(req.query, 'status');
  const lines =
    r.body.status === 'completed' ? await api.lines(id, status, field(req.query, 'cursor')) : null;
  sendPage(
    res,
    200,
    runPage(ctx, {
      run: r.body,
      lines: lines?.ok ? lines.body.lines : [],
      status: lines?.ok ? status : undefined,
      nextCursor: lines?.ok ? lines.body.nextCursor : null,
      refused: lines ? refusal(ctx, lines) : html``,
    }),
  );
}

/** What the run page's script polls: the run's status and progress, as the ledger says. */
async function progress(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  if (!UUID.test(id)) return void res.status(404).json({ detail: 'no such run' });
  const r = await api.run(id);
  res.set('cache-control', 'no-store');
  if (!r.ok) return void res.status(r.status).json({ detail: r.detail });
  res.json({ status: r.body.status, progress: r.body.progress, error: r.body.error });
}

async function line(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  const lineNo = Number(req.params.lineNo);
  if (!UUID.test(id) || !Number.isInteger(lineNo) || lineNo < 1)
    return void res.redirect(303, '/finance/reconciliation');
  const [r, one, trail, funds] = await Promise.all([
    api.run(id),
    api.line(id, lineNo),
    api.resolutions(id, lineNo),
    api.funds(),
  ]);
  if (!r.ok) return void res.redirect(303, '/finance/reconciliation');
  const saved = field(req.query, 'saved') ? notice('ok', ctx.t('finance.line.saved')) : html``;
  sendPage(
    res,
    200,
    linePage(ctx, {
      run: r.body,
      line: one.ok ? (one.body.lines.find((l) => l.lineNo === lineNo) ?? null) : null,
      trail: trail.ok ? trail.body.resolutions : [],
      funds: funds.ok ? funds.body.funds : [],
      message: html`${saved}${notice('refused', field(req.query, 'error'))}`,
    }),
  );
}

async function resolve(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  const lineNo = Number(req.params.lineNo);
  if (!UUID.test(id) || !Number.isInteger(lineNo) || lineNo < 1)
    return void res.redirect(303, '/finance/reconciliation');
  const action = field(req.body, 'action') ?? '';
  const fund = action === 'correct' ? field(req.body, 'fund') : undefined;
  const answer = await api.resolve(id, lineNo, {
    action,
    comment: field(req.body, 'comment') ?? '',
    ...(fund ? { fund } : {}),
  });
  const back = `${runPath(id)}/lines/${lineNo}`;
  res.redirect(303, answer.ok ? `${back}?saved=1` : `${back}${query({ error: answer.detail })}`);
}

export function mountFinanceRecon(app: Express, deps: FinanceDeps): void {
  const h =
    (fn: (d: FinanceDeps, req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response) =>
      fn(deps, req, res);
  app.get('/finance/reconciliation', financeOnly, h(overview));
  app.post('/finance/reconciliation/runs', financeOnly, form, h(startRun));
  app.post('/finance/statements/import', financeOnly, form, h(importStatement));
  app.post('/finance/statements/upload', financeOnly, h(upload));
  app.get('/finance/reconciliation/runs/:id', financeOnly, h(run));
  app.get('/finance/reconciliation/runs/:id/progress', financeOnly, h(progress));
  app.get('/finance/reconciliation/runs/:id/lines/:lineNo', financeOnly, h(line));
  app.post(
    '/finance/reconciliation/runs/:id/lines/:lineNo/resolution',
    financeOnly,
    form,
    h(resolve),
  );
  for (const file of ['lines.csv', 'report.pdf'])
    app.get(`/finance/reconciliation/runs/:id/${file}`, financeOnly, (req, res) => {
      const id = String(req.params.id);
      if (!UUID.test(id)) return void res.status(404).end();
      return passThrough(deps, req, res, 'ledger', `/reconciliation/runs/${id}/${file}`);
    });
}

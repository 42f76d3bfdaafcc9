// /finance/flagged, /finance/dead-letters (+ replay), /finance/audit and /admin/funds.
import type { Express, Request, Response } from 'express';
import { query } from '../app/finance-api';
import { notice, refusal } from '../views/finance-kit';
import { auditPage, deadLettersPage, flaggedPage, fundsPage } from '../views/finance-ops';
import { sendPage } from './context';
import {
  adminOnly,
  field,
  financeOnly,
  financeRequest,
  form,
  type FinanceDeps,
} from './finance-console';

type Handler = (deps: FinanceDeps, req: Request, res: Response) => Promise<void>;

const flagged: Handler = async (deps, req, res) => {
  const { ctx, api } = financeRequest(deps, req, res);
  const a = await api.flagged();
  sendPage(
    res,
    200,
    flaggedPage(ctx, { rewards: a.ok ? a.body.rewards : [], refused: refusal(ctx, a) }),
  );
};

const deadLetters: Handler = async (deps, req, res) => {
  const { ctx, api } = financeRequest(deps, req, res);
  const a = await api.deadLetters();
  const count = field(req.query, 'replayed');
  const message = !a.ok
    ? refusal(ctx, a)
    : count
      ? notice('ok', ctx.t('finance.dead.replayedCount', { count: Number(count) }))
      : notice('refused', field(req.query, 'error'));
  sendPage(res, 200, deadLettersPage(ctx, { letters: a.ok ? a.body.deadLetters : [], message }));
};

const replay: Handler = async (deps, req, res) => {
  const { api } = financeRequest(deps, req, res);
  const id = field(req.body, 'id') ?? 'all';
  const a = await api.replay(id);
  const replayed = a.ok ? a.body.replayed.length : undefined;
  res.redirect(303, `/finance/dead-letters${query(a.ok ? { replayed } : { error: a.detail })}`);
};

const audit: Handler = async (deps, req, res) => {
  const { ctx, api } = financeRequest(deps, req, res);
  const a = await api.verify();
  sendPage(res, 200, auditPage(ctx, { report: a.ok ? a.body : null, refused: refusal(ctx, a) }));
};

const funds: Handler = async (deps, req, res) => {
  const { ctx, api } = financeRequest(deps, req, res);
  const a = await api.funds();
  const ok = field(req.query, 'ok');
  const message = !a.ok
    ? refusal(ctx, a)
    : ok
      ? notice('ok', ok)
      : notice('refused', field(req.query, 'error'));
  sendPage(res, 200, fundsPage(ctx, { funds: a.ok ? a.body.funds : [], message }));
};

const createFund: Handler = async (deps, req, res) => {
  const { ctx, api } = financeRequest(deps, req, res);
  const slug = field(req.body, 'slug') ?? '';
  const a = await api.createFund({
    slug,
    name: field(req.body, 'name') ?? '',
    restricted: field(req.body, 'restricted') === 'true',
    feePolicy: field(req.body, 'feePolicy') === 'general' ? 'general' : 'fund',
    description: field(req.body, 'description') ?? null,
  });
  res.redirect(
    303,
    `/admin/funds${query(a.ok ? { ok: ctx.t('funds.created', { slug }) } : { error: a.detail })}`,
  );
};

const setStatus: Handler = async (deps, req, res) => {
  const { ctx, api } = financeRequest(deps, req, res);
  const slug = String(req.params.slug);
  const status = field(req.body, 'status') === 'closed' ? 'closed' : 'open';
  const a = await api.setFundStatus(slug, status);
  const ok = ctx.t('funds.changed', { slug, status: ctx.t(`funds.status.${status}`) });
  res.redirect(303, `/admin/funds${query(a.ok ? { ok } : { error: a.detail })}`);
};

export function mountFinanceOps(app: Express, deps: FinanceDeps): void {
  const h = (fn: Handler) => (req: Request, res: Response) => fn(deps, req, res);
  app.get('/finance/flagged', financeOnly, h(flagged));
  app.get('/finance/dead-letters', financeOnly, h(deadLetters));
  app.post('/finance/dead-letters/replay', financeOnly, form, h(replay));
  app.get('/finance/audit', financeOnly, h(audit));
  app.get('/admin/funds', adminOnly, h(funds));
  app.post('/admin/funds', adminOnly, form, h(createFund));
  app.post('/admin/funds/:slug/status', adminOnly, form, h(setStatus));
}

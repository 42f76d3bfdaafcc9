// /admin/offices, /admin/reward-rules, /admin/stock: the admin's side of the offices. Every
// change is a form post (CSRF-checked by signin's middleware) answered with a redirect.
import { Readable } from 'node:stream';
import express, { type Express, type Request, type Response } from 'express';
import {
  createOffice,
  createPoint,
  createRule,
  deleteRule,
  disableOffice,
  disablePoint,
  endRule,
  listRules,
  officesWithPoints,
  stockOverview,
  type RuleInput,
} from '../app/office-admin';
import { parseAmount, type Outcome } from '../app/office-console';
import { officesPage, rulesPage, stockOverviewPage, type AdminFlash } from '../views/office-admin';
import { sendPage } from './context';
import { consoleContext, page, type ConsoleDeps } from './office-context';

const form = express.urlencoded({ extended: false, limit: '8kb' });
const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};
const param = (req: Request, name: string) => String(req.params[name] ?? '');

function flashOf(req: Request): AdminFlash {
  return req.query.done === '1' ? { done: true } : null;
}

/** A day from a date input as the start of that day in Minsk (UTC+3). */
function minskMidnight(day: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00+03:00`).toISOString() : null;
}

export function ruleInputOf(req: Request): RuleInput {
  const minimums: Record<string, number> = {};
  for (const c of ['BYN', 'USD', 'EUR']) {
    const minor = parseAmount(field(req, `min${c}`));
    if (minor !== null) minimums[c] = minor;
  }
  return {
    campaign: field(req, 'campaign'),
    channel: field(req, 'channel') === 'online' ? 'online' : 'office',
    fund: field(req, 'fund') || null,
    kind: field(req, 'kind') as RuleInput['kind'],
    outOfStock: field(req, 'outOfStock') as RuleInput['outOfStock'],
    priority: Number(field(req, 'priority') || '0'),
    activeFrom: minskMidnight(field(req, 'activeFrom')) ?? field(req, 'activeFrom'),
    activeUntil: minskMidnight(field(req, 'activeUntil')),
    minimums,
  };
}

/** After a change: back to the page (PRG), or the page again with the refusal. */
async function after(
  res: Response,
  to: string,
  result: Outcome<unknown>,
  again: (f: AdminFlash, status: number) => Promise<void>,
) {
  if (result.ok) return res.redirect(303, `${to}?done=1`);
  await again({ refusal: result.refusal }, result.refusal.status);
}

export function mountOfficeAdmin(app: Express, deps: ConsoleDeps): void {
  mountOffices(app, deps);
  mountRules(app, deps);
  mountStockOverview(app, deps);
}

function officesRenderer(deps: ConsoleDeps) {
  return async (req: Request, res: Response, flash: AdminFlash, status = 200) => {
    const api = deps.auth.personApi(deps.auth.personOf(res));
    const offices = await officesWithPoints(api);
    sendPage(res, status, officesPage(consoleContext(deps, req, res), offices, flash));
  };
}

function mountOffices(app: Express, deps: ConsoleDeps): void {
  const admin = deps.auth.requirePerson('admin');
  const api = (res: Response) => deps.auth.personApi(deps.auth.personOf(res));
  const offices = officesRenderer(deps);
  app.get(
    '/admin/offices',
    admin,
    page(deps, (req, res) => offices(req, res, flashOf(req))),
  );
  app.post(
    '/admin/offices',
    admin,
    form,
    page(deps, async (req, res) =>
      after(
        res,
        '/admin/offices',
        await createOffice(api(res), { id: field(req, 'id'), name: field(req, 'name') }),
        (f, s) => offices(req, res, f, s),
      ),
    ),
  );
  app.post(
    '/admin/offices/:id/disable',
    admin,
    form,
    page(deps, async (req, res) =>
      after(res, '/admin/offices', await disableOffice(api(res), param(req, 'id')), (f, s) =>
        offices(req, res, f, s),
      ),
    ),
  );
  app.post(
    '/admin/offices/:id/points',
    admin,
    form,
    page(deps, async (req, res) => {
      const kind = field(req, 'kind') === 'counter' ? 'counter' : 'poster';
      after(
        res,
        '/admin/offices',
        await createPoint(api(res), param(req, 'id'), { label: field(req, 'label'), kind }),
        (f, s) => offices(req, res, f, s),
      );
    }),
  );
  app.post(
    '/admin/points/:id/disable',
    admin,
    form,
    page(deps, async (req, res) =>
      after(res, '/admin/offices', await disablePoint(api(res), param(req, 'id')), (f, s) =>
        offices(req, res, f, s),
      ),
    ),
  );
  mountPosters(app, deps);
}

function mountPosters(app: Express, deps: ConsoleDeps): void {
  const admin = deps.auth.requirePerson('admin');
  const api = (res: Response) => deps.auth.personApi(deps.auth.personOf(res));
  app.get(
    '/admin/offices/:id/posters.pdf',
    admin,
    page(deps, async (req, res) => {
      const upstream = await api(res).raw(
        'payment',
        `/offices/${encodeURIComponent(param(req, 'id'))}/posters.pdf`,
      );
      if (!upstream.ok || !upstream.body) {
        await upstream.body?.cancel();
        return res.status(upstream.status).end();
      }
      res
        .type('application/pdf')
        .set('cache-control', 'private, no-store')
        .attachment(`posters-${param(req, 'id')}.pdf`);
      Readable.fromWeb(upstream.body as never).pipe(res);
    }),
  );
}

function mountRules(app: Express, deps: ConsoleDeps): void {
  const admin = deps.auth.requirePerson('admin');
  const api = (res: Response) => deps.auth.personApi(deps.auth.personOf(res));
  const now = () => (deps.now ?? (() => new Date()))();
  const rules = async (req: Request, res: Response, flash: AdminFlash, status = 200) =>
    sendPage(
      res,
      status,
      rulesPage(consoleContext(deps, req, res), await listRules(api(res)), flash, now()),
    );
  app.get(
    '/admin/reward-rules',
    admin,
    page(deps, (req, res) => rules(req, res, flashOf(req))),
  );
  app.post(
    '/admin/reward-rules',
    admin,
    form,
    page(deps, async (req, res) =>
      after(res, '/admin/reward-rules', await createRule(api(res), ruleInputOf(req)), (f, s) =>
        rules(req, res, f, s),
      ),
    ),
  );
  app.post(
    '/admin/reward-rules/:id/end',
    admin,
    form,
    page(deps, async (req, res) =>
      after(res, '/admin/reward-rules', await endRule(api(res), param(req, 'id'), now()), (f, s) =>
        rules(req, res, f, s),
      ),
    ),
  );
  app.post(
    '/admin/reward-rules/:id/delete',
    admin,
    form,
    page(deps, async (req, res) =>
      after(res, '/admin/reward-rules', await deleteRule(api(res), param(req, 'id')), (f, s) =>
        rules(req, res, f, s),
      ),
    ),
  );
}

function mountStockOverview(app: Express, deps: ConsoleDeps): void {
  const admin = deps.auth.requirePerson('admin');
  const api = (res: Response) => deps.auth.personApi(deps.auth.personOf(res));
  app.get(
    '/admin/stock',
    admin,
    page(deps, async (req, res) => {
      const [overview, known] = await Promise.all([
        stockOverview(api(res)),
        officesWithPoints(api(res)),
      ]);
      const names = new Map(known.map((o) => [o.id, o.name]));
      const rows = overview.offices.map((o) => ({
        ...o,
        name: names.get(o.officeId) ?? o.officeId,
      }));
      sendPage(res, 200, stockOverviewPage(consoleContext(deps, req, res), rows, overview.totals));
    }),
  );
}

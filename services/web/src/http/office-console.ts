// The office console (/office): a staff member of one office at the counter. Pages are
// server-rendered; the live parts follow the office's streams (office-streams.ts).
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import express, { type Express, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import {
  ApiRefused,
  changeStock,
  checkCode,
  counterReward,
  createCounterQr,
  handOut,
  intentStatus,
  loadDashboard,
  loadStock,
  parseAmount,
  type StockChange,
} from '../app/office-console';
import { officesWithPoints } from '../app/office-admin';
import { officeHomePage, liveFragment } from '../views/office';
import { counterPage } from '../views/office-counter';
import { handoutPage } from '../views/office-handout';
import { stockPage, type StockFlash } from '../views/office-stock';
import { officeChooser } from '../views/office-admin';
import { sendPage } from './context';
import {
  consoleContext,
  officeIdOf,
  ownOfficeOnly,
  page,
  type ConsoleDeps,
} from './office-context';
import { mountOfficeAdmin } from './office-admin';
import { mountOfficeStreams } from './office-streams';
import { personOf, requirePerson } from './session';
import type { PageDeps } from './donor-pages';
import { personApi } from '../app/person-api';

const form = express.urlencoded({ extended: false, limit: '4kb' });
const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The office console and the office admin pages, signed in through signin's sessions. */
export function mountOfficeConsole(app: Express, pageDeps: PageDeps): void {
  const deps: ConsoleDeps = {
    ...pageDeps,
    auth: { requirePerson, personOf, personApi: (person) => personApi(pageDeps.apis, person) },
  };
  mountConsole(app, deps);
  mountOfficeAdmin(app, deps);
}

export function mountConsole(app: Express, deps: ConsoleDeps): void {
  const jsqr = createRequire(__filename).resolve('jsqr/dist/jsQR.js');
  app.get('/static/office-vendor/jsQR.js', (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').type('text/javascript').sendFile(jsqr);
  });
  const staff = deps.auth.requirePerson('office-staff');
  app.get(
    '/office',
    staff,
    page(deps, async (req, res) => {
      const person = deps.auth.personOf(res);
      const q = req.originalUrl.indexOf('?');
      const query = q >= 0 ? req.originalUrl.slice(q) : '';
      if (person.officeId)
        return res.redirect(303, `/office/${encodeURIComponent(person.officeId)}${query}`);
      const offices = await officesWithPoints(deps.auth.personApi(person));
      sendPage(res, 200, officeChooser(consoleContext(deps, req, res), offices));
    }),
  );
  app.use('/office/:officeId', staff, ownOfficeOnly(deps));
  mountHome(app, deps);
  mountCounter(app, deps);
  mountHandout(app, deps);
  mountStock(app, deps);
  mountOfficeStreams(app, deps);
}

const api = (deps: ConsoleDeps, res: Response) => deps.auth.personApi(deps.auth.personOf(res));
const now = (deps: ConsoleDeps) => (deps.now ?? (() => new Date()))();

function mountHome(app: Express, deps: ConsoleDeps): void {
  app.get(
    '/office/:officeId',
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const d = await loadDashboard(api(deps, res), officeId, now(deps));
      sendPage(res, 200, officeHomePage(consoleContext(deps, req, res), officeId, d));
    }),
  );
  app.get(
    '/office/:officeId/live',
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const d = await loadDashboard(api(deps, res), officeId, now(deps));
      const fragment = liveFragment(consoleContext(deps, req, res), officeId, d);
      res.type('html').set('cache-control', 'no-store').send(fragment.value);
    }),
  );
  app.get(
    '/office/:officeId/posters.pdf',
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const upstream = await api(deps, res).raw(
        'payment',
        `/offices/${encodeURIComponent(officeId)}/posters.pdf`,
      );
      if (!upstream.ok || !upstream.body) {
        await upstream.body?.cancel();
        return res.status(upstream.status === 403 ? 403 : 502).end();
      }
      res.type('application/pdf').set('cache-control', 'private, no-store');
      res.attachment(`posters-${officeId}.pdf`);
      Readable.fromWeb(upstream.body as never).pipe(res);
    }),
  );
}

function mountCounter(app: Express, deps: ConsoleDeps): void {
  app.post(
    '/office/:officeId/counter',
    form,
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const ctx = consoleContext(deps, req, res);
      const minor = parseAmount(field(req, 'amount'));
      const currency = ['BYN', 'USD', 'EUR'].includes(field(req, 'currency'))
        ? field(req, 'currency')
        : 'BYN';
      const pointId = field(req, 'point');
      const made =
        minor === null
          ? null
          : await createCounterQr(api(deps, res), pointId, { minor, currency: currency as 'BYN' });
      if (made?.ok) {
        const to = `/office/${encodeURIComponent(officeId)}/counter/${encodeURIComponent(pointId)}/${encodeURIComponent(made.value.id)}`;
        return res.redirect(303, `${to}?lang=${ctx.locale}`);
      }
      const d = await loadDashboard(api(deps, res), officeId, now(deps));
      const error = made
        ? (made.refusal.detail ?? ctx.t('office.counter.badAmount'))
        : ctx.t('office.counter.badAmount');
      sendPage(
        res,
        made?.refusal.status === 403 ? 403 : 400,
        officeHomePage(ctx, officeId, d, error),
      );
    }),
  );
  app.get(
    '/office/:officeId/counter/:pointId/:intentId',
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const personApi = api(deps, res);
      const status = await intentStatus(
        personApi,
        String(req.params.pointId),
        String(req.params.intentId),
      );
      if (!status.ok) throw new ApiRefused(status.refusal);
      const paid = status.value.donation?.status === 'succeeded';
      const reward = paid
        ? await counterReward(personApi, officeId, status.value.donation!.id)
        : null;
      const qr = await QRCode.toString(status.value.url, { type: 'svg', margin: 2 });
      sendPage(
        res,
        200,
        counterPage(consoleContext(deps, req, res), officeId, status.value, reward, qr),
      );
    }),
  );
}

function mountHandout(app: Express, deps: ConsoleDeps): void {
  app.get(
    '/office/:officeId/handout',
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const ctx = consoleContext(deps, req, res);
      const code = typeof req.query.code === 'string' ? req.query.code.slice(0, 32) : '';
      if (!code) return sendPage(res, 200, handoutPage(ctx, officeId, { step: 'ask' }));
      const check = await checkCode(api(deps, res), officeId, code);
      if (check.ok)
        return sendPage(
          res,
          200,
          handoutPage(ctx, officeId, { step: 'check', check: check.value }),
        );
      sendPage(
        res,
        check.refusal.status,
        handoutPage(ctx, officeId, { step: 'refused', code, refusal: check.refusal }),
      );
    }),
  );
  app.post(
    '/office/:officeId/handout',
    form,
    page(deps, async (req, res) => {
      const officeId = officeIdOf(req);
      const ctx = consoleContext(deps, req, res);
      const code = field(req, 'code').slice(0, 32);
      const done = await handOut(api(deps, res), officeId, code);
      if (done.ok) return sendPage(res, 200, handoutPage(ctx, officeId, { step: 'done', code }));
      sendPage(
        res,
        done.refusal.status,
        handoutPage(ctx, officeId, { step: 'refused', code, refusal: done.refusal }),
      );
    }),
  );
}

/** A stock form as the change the reward service takes; null when a number is not a number. */
function stockChange(kind: string, req: Request): StockChange | null {
  const int = (name: string) =>
    /^\s*-?\d{1,7}\s*$/.test(field(req, name)) ? Number(field(req, name)) : null;
  const note = field(req, 'note').trim() || undefined;
  if (kind === 'deliveries') {
    const quantity = int('quantity');
    return quantity === null ? null : { kind: 'delivery', quantity, note };
  }
  if (kind === 'adjustments') {
    const delta = int('delta');
    return delta === null ? null : { kind: 'adjustment', delta, reason: field(req, 'reason') };
  }
  const counted = int('counted');
  return kind === 'counts' && counted !== null ? { kind: 'count', counted, note } : null;
}

function mountStock(app: Express, deps: ConsoleDeps): void {
  const show = async (req: Request, res: Response, status: number, flash: StockFlash) => {
    const officeId = officeIdOf(req);
    const personApi = api(deps, res);
    const [stock, d] = await Promise.all([
      loadStock(personApi, officeId),
      loadDashboard(personApi, officeId, now(deps)),
    ]);
    sendPage(
      res,
      status,
      stockPage(consoleContext(deps, req, res), officeId, stock, d.waiting, flash),
    );
  };
  app.get(
    '/office/:officeId/stock',
    page(deps, (req, res) => show(req, res, 200, req.query.done === '1' ? { done: true } : null)),
  );
  app.post(
    '/office/:officeId/stock/:kind',
    form,
    page(deps, async (req, res) => {
      const change = stockChange(String(req.params.kind), req);
      if (!change)
        return show(req, res, 400, {
          refusal: { status: 400, code: 'invalid-number', detail: null },
        });
      const result = await changeStock(api(deps, res), officeIdOf(req), change);
      if (!result.ok) return show(req, res, result.refusal.status, { refusal: result.refusal });
      res.redirect(303, `/office/${encodeURIComponent(officeIdOf(req))}/stock?done=1`);
    }),
  );
}

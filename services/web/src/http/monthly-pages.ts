// /monthly/:token — the donor's monthly gift through payment's manage routes, and the manage
// link on an installment's thank-you page. The token is the only proof (no account); the
// request log shows the path with it redacted (loggedPath in @bfi/http).
import { MoneyError, parseMoney, type Currency } from '@bfi/money';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { ApiAnswer, Donation } from '../app/api';
import { ApiUnavailable } from '../app/api';
import { MonthlyApi, type SubscriptionView } from '../app/monthly-api';
import { money } from '../app/present';
import type { Html } from '../views/html';
import type { PageContext } from '../views/layout';
import { cancelConfirmPage, manageFragment, monthlyPage } from '../views/monthly';
import { errorPage } from '../views/pages';
import { pageContext, sendPage } from './context';
import type { PageDeps } from './donor-pages';
import { cookieValue } from './session';

/** Carries the manage token from the donate form's answer to the thank-you page. */
const MANAGE_COOKIE = 'bfi_monthly';
const MAX_MINOR = 100_000_000;
const form = express.urlencoded({ extended: false, limit: '2kb' });

type Answer = ApiAnswer<SubscriptionView>;

function tokenOf(req: Request): string {
  const token = req.params.token;
  return typeof token === 'string' && token.length <= 2000 ? token : '';
}

/** An answer that is not the subscription: the page says why, in the donor's language. */
function refusal(ctx: PageContext, res: Response, answer: ApiAnswer<unknown>): void {
  const { t } = ctx;
  if (answer.status === 401 || answer.status === 403 || answer.status === 404)
    return sendPage(res, answer.status, errorPage(ctx, t('monthly.errors.link')));
  if (answer.status >= 500)
    return sendPage(res, 503, errorPage(ctx, t('monthly.errors.unavailable')));
  sendPage(res, 422, errorPage(ctx, answer.detail ?? t('monthly.errors.unavailable')));
}

async function ask(ctx: PageContext, res: Response, call: () => Promise<Answer>) {
  try {
    const answer = await call();
    if (answer.ok) return answer.body;
    refusal(ctx, res, answer);
  } catch (err) {
    if (!(err instanceof ApiUnavailable)) throw err;
    sendPage(res, 503, errorPage(ctx, ctx.t('monthly.errors.unavailable')));
  }
  return null;
}

function show(ctx: PageContext, res: Response, token: string, s: SubscriptionView, extra = {}) {
  sendPage(res, 200, monthlyPage(ctx, stateOf(token, s, extra)));
}

type ContextOf = (req: Request, res: Response) => ReturnType<typeof pageContext>;

export function mountMonthlyPages(app: Express, deps: PageDeps): void {
  const api = new MonthlyApi(deps.config.paymentUrl);
  const context = (req: Request, res: Response) =>
    pageContext(req, res, deps.config.counsellingUrl);

  app.get('/monthly/:token', async (req, res) => {
    const ctx = context(req, res);
    const s = await ask(ctx, res, () => api.view(tokenOf(req)));
    if (s) show(ctx, res, tokenOf(req), s);
  });

  app.post('/monthly/:token/amount', form, changeAmount(api, context));

  app.get('/monthly/:token/cancel', async (req, res) => {
    const ctx = context(req, res);
    const token = tokenOf(req);
    const s = await ask(ctx, res, () => api.view(token));
    if (s) sendPage(res, 200, cancelConfirmPage(ctx, stateOf(token, s)));
  });

  app.post('/monthly/:token/cancel', form, async (req, res) => {
    const ctx = context(req, res);
    const s = await ask(ctx, res, () => api.cancel(tokenOf(req)));
    if (s) show(ctx, res, tokenOf(req), s, { notice: ctx.t('monthly.cancelledNotice') });
  });

  app.post('/monthly/:token/annual-summary', form, annualSummary(api, context));
}

/** A new amount for the next installments, typed the way people type money. */
function changeAmount(api: MonthlyApi, context: ContextOf): RequestHandler {
  return async (req, res) => {
    const ctx = context(req, res);
    const token = tokenOf(req);
    const typed = typeof req.body?.amount === 'string' ? req.body.amount.trim().slice(0, 40) : '';
    const current = await ask(ctx, res, () => api.view(token));
    if (!current) return;
    let minor: number;
    try {
      const currency = current.amount.currency as Currency;
      minor = parseMoney(typed, currency, { minMinor: 1, maxMinor: MAX_MINOR }).minor;
    } catch (err) {
      if (!(err instanceof MoneyError)) throw err;
      const extra = { amountError: ctx.t('monthly.errors.amount'), amountInput: typed };
      return sendPage(res, 400, monthlyPage(ctx, stateOf(token, current, extra)));
    }
    const s = await ask(ctx, res, () => api.changeAmount(token, minor));
    if (s)
      show(ctx, res, token, s, {
        notice: ctx.t('monthly.changed', { amount: money(s.amount, ctx.locale) }),
      });
  };
}

/** The year's installments by e-mail (this year when the form's year is not one). */
function annualSummary(api: MonthlyApi, context: ContextOf): RequestHandler {
  return async (req, res) => {
    const ctx = context(req, res);
    const token = tokenOf(req);
    const year = Number(req.body?.year);
    const valid = Number.isInteger(year) && year >= 2000 && year <= 2100;
    const thisYear = new Date().getUTCFullYear();
    try {
      const sent = await api.annualSummary(token, valid ? year : thisYear);
      if (!sent.ok) return refusal(ctx, res, sent);
    } catch (err) {
      if (!(err instanceof ApiUnavailable)) throw err;
      return sendPage(res, 503, errorPage(ctx, ctx.t('monthly.errors.unavailable')));
    }
    const s = await ask(ctx, res, () => api.view(token));
    if (s)
      show(ctx, res, token, s, {
        notice: ctx.t('monthly.summarySent', { year: valid ? year : thisYear }),
      });
  };
}

function stateOf(token: string, s: SubscriptionView, extra = {}) {
  const base = `/monthly/${encodeURIComponent(token)}`;
  return { subscription: s, base, notice: null, amountError: null, amountInput: '', ...extra };
}

/** After POST /donate of a monthly gift: the thank-you page of this donation gets the link. */
export function rememberManageToken(req: Request, res: Response, donation: Donation): void {
  const token = donation.subscription?.manageToken;
  if (!token) return;
  res.cookie(MANAGE_COOKIE, `${donation.id}.${token}`, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/thanks',
    maxAge: 7 * 24 * 3600 * 1000,
  });
}

/** The manage part of an installment's thank-you page, or null for a one-off gift. */
export function manageSection(ctx: PageContext, req: Request, d: Donation): Html | null {
  const remembered = cookieValue(req.headers.cookie, MANAGE_COOKIE);
  const [id, ...rest] = remembered?.split('.') ?? [];
  const fromForm = id === d.id ? rest.join('.') : '';
  const token = d.subscription?.manageToken ?? fromForm;
  if (!token) return null;
  // The donate form's answer is the subscription's first installment (payment creates both at once).
  const installment =
    d.recurrence?.installment ?? d.subscription?.installment ?? (fromForm ? 1 : null);
  return manageFragment(ctx, `/monthly/${encodeURIComponent(token)}`, installment);
}

// /finance (fund totals), /finance/journal, /finance/donations/:id (the story) and refunds.
import { isCurrency, parseMoney } from '@bfi/money';
import type { Express, Request, Response } from 'express';
import type { ApiAnswer } from '../app/api';
import { query, type GroupBy, type JournalFilter } from '../app/finance-api';
import { amount, notice, refusal } from '../views/finance-kit';
import { journalPage, refundConfirmPage, storyPage, totalsPage } from '../views/finance';
import { givingSection, givingTotals } from '../views/finance-giving';
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

const GROUPS: GroupBy[] = ['currency', 'channel', 'office', 'day'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const bodyOf = <T>(a: ApiAnswer<T>, empty: T): T => (a.ok ? a.body : empty);

async function totals(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api, person } = financeRequest(deps, req, res);
  const funds = await api.funds();
  const giving = await givingTotals(person);
  const list = bodyOf(funds, { funds: [] }).funds;
  const asked = field(req.query, 'fund');
  const fund = list.find((f) => f.slug === asked)?.slug ?? list[0]?.slug ?? 'specialist-training';
  const g = field(req.query, 'groupBy') as GroupBy | undefined;
  const groupBy = g && GROUPS.includes(g) ? g : 'currency';
  const period = { from: dateField(req.query, 'from'), to: dateField(req.query, 'to') };
  const [rows, days] = await Promise.all([
    api.totals(fund, groupBy, period),
    api.totals(fund, 'day', period),
  ]);
  const failed = [funds, rows, days].find((a) => !a.ok);
  sendPage(
    res,
    200,
    totalsPage(ctx, {
      funds: list,
      fund,
      groupBy,
      period,
      rows: bodyOf(rows, { rows: [] }).rows,
      days: bodyOf(days, { rows: [] }).rows,
      refused: failed ? refusal(ctx, failed) : html``,
      giving: giving.ok ? givingSection(ctx, giving.body) : undefined,
    }),
  );
}

async function journal(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const filter: JournalFilter = {
    fund: field(req.query, 'fund'),
    from: dateField(req.query, 'from'),
    to: dateField(req.query, 'to'),
    donation: field(req.query, 'donation'),
    providerRef: field(req.query, 'providerRef'),
    cursor: field(req.query, 'cursor'),
  };
  const [funds, page] = await Promise.all([api.funds(), api.journal(filter)]);
  const body = bodyOf(page, { entries: [], nextCursor: null });
  sendPage(
    res,
    200,
    journalPage(ctx, {
      funds: bodyOf(funds, { funds: [] }).funds,
      filter,
      entries: body.entries,
      nextCursor: body.nextCursor,
      refused: refusal(ctx, page),
    }),
  );
}

async function story(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  if (!UUID.test(id)) return void res.redirect(303, '/finance/journal');
  const refunded = field(req.query, 'refunded');
  const currency = field(req.query, 'currency');
  const message =
    refunded && /^\d+$/.test(refunded) && currency
      ? notice(
          'ok',
          ctx.t('finance.refund.done', { amount: amount(ctx, Number(refunded), currency) }),
        )
      : notice('refused', field(req.query, 'error'));
  const s = await api.story(id);
  sendPage(res, s.payment.status === 404 ? 404 : 200, storyPage(ctx, { id, story: s, message }));
}

/** Step one of a refund: the amount checked, and a page asking to confirm it. */
async function reviewRefund(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { ctx, api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  if (!UUID.test(id)) return void res.redirect(303, '/finance/journal');
  const s = await api.story(id);
  if (!s.payment.ok) return void res.redirect(303, `/finance/donations/${id}`);
  const pay = s.payment.body;
  const typed = field(req.body, 'amount');
  let minor: number | null = null;
  if (typed !== undefined) {
    try {
      if (!isCurrency(pay.amount.currency)) throw new Error('currency');
      minor = parseMoney(typed.replace(',', '.'), pay.amount.currency, { minMinor: 1 }).minor;
    } catch {
      const error = ctx.t('finance.refund.badAmount');
      return void res.redirect(303, `/finance/donations/${id}${query({ error })}`);
    }
  }
  const left = pay.amount.minor - pay.refunded.minor;
  sendPage(
    res,
    200,
    refundConfirmPage(ctx, {
      id,
      provider: pay.provider,
      amountMinor: minor,
      amountText: amount(ctx, minor ?? left, pay.amount.currency),
    }),
  );
}

/** Step two: confirmed. The payment service refunds once even if this is posted twice. */
async function refund(deps: FinanceDeps, req: Request, res: Response): Promise<void> {
  const { api } = financeRequest(deps, req, res);
  const id = String(req.params.id);
  if (!UUID.test(id)) return void res.redirect(303, '/finance/journal');
  const typed = field(req.body, 'amountMinor');
  const minor = typed && /^\d{1,15}$/.test(typed) ? Number(typed) : undefined;
  const before = await api.story(id);
  const answer = await api.refund(id, minor);
  if (!answer.ok) {
    const error = answer.detail ?? String(answer.status);
    return void res.redirect(303, `/finance/donations/${id}${query({ error })}`);
  }
  const was = before.payment.ok ? before.payment.body.refunded.minor : 0;
  res.redirect(
    303,
    `/finance/donations/${id}${query({
      refunded: answer.body.refunded.minor - was,
      currency: answer.body.amount.currency,
    })}`,
  );
}

export function mountFinancePages(app: Express, deps: FinanceDeps): void {
  app.get('/finance', financeOnly, (req, res) => totals(deps, req, res));
  app.get('/finance/journal', financeOnly, (req, res) => journal(deps, req, res));
  app.get('/finance/donations/:id', financeOnly, (req, res) => story(deps, req, res));
  app.post('/finance/donations/:id/refund/review', financeOnly, form, (req, res) =>
    reviewRefund(deps, req, res),
  );
  app.post('/finance/donations/:id/refund', financeOnly, form, (req, res) =>
    refund(deps, req, res),
  );
  app.get('/finance/exports/journal.csv', financeOnly, (req, res) =>
    passThrough(deps, req, res, 'ledger', `/exports/journal.csv${exportQuery(req)}`),
  );
  app.get('/finance/exports/fund-totals.csv', financeOnly, (req, res) =>
    passThrough(deps, req, res, 'ledger', `/exports/fund-totals.csv${exportQuery(req)}`),
  );
}

function exportQuery(req: Request): string {
  const g = field(req.query, 'groupBy');
  return query({
    fund: field(req.query, 'fund'),
    from: dateField(req.query, 'from'),
    to: dateField(req.query, 'to'),
    groupBy: g && GROUPS.includes(g as GroupBy) ? g : undefined,
  });
}

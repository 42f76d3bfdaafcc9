// Finance console: fund totals (table + chart), the journal browser, a donation's story.
import type {
  DonationStory,
  Fund,
  GroupBy,
  JournalEntry,
  JournalFilter,
  TotalsRow,
} from '../app/finance-api';
import { query } from '../app/finance-api';
import { Html, html } from './html';
import {
  amount,
  csrfField,
  financePage,
  fundSelect,
  notice,
  periodInputs,
  type FinanceContext,
  when,
} from './finance-kit';

const GROUPS: GroupBy[] = ['currency', 'channel', 'office', 'day'];

export interface TotalsView {
  funds: Fund[];
  fund: string;
  groupBy: GroupBy;
  period: { from?: string; to?: string };
  rows: TotalsRow[];
  /** Per-day rows for the chart (every currency). */
  days: TotalsRow[];
  refused: Html;
  /** One-off vs monthly and the run-rate (views/finance-giving.ts), when the ledger answered. */
  giving?: Html;
}

function totalsTable(
  ctx: FinanceContext,
  v: { rows: TotalsRow[]; groupBy: GroupBy; caption: string },
): Html {
  const { t } = ctx;
  const money = (r: TotalsRow, m: number) => amount(ctx, m, r.currency);
  const group = (r: TotalsRow) =>
    v.groupBy === 'currency'
      ? r.currency
      : (r.group ?? (v.groupBy === 'office' ? t('finance.totals.noOffice') : '—'));
  return html`<div class="fin-scroll" tabindex="0" role="region" aria-label="${v.caption}">
    <table class="fin-table">
      <caption>
        ${v.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t(`finance.totals.group.${v.groupBy}`)}</th>
          <th scope="col">${t('finance.totals.gross')}</th>
          <th scope="col">${t('finance.totals.fees')}</th>
          <th scope="col">${t('finance.totals.refunds')}</th>
          <th scope="col">${t('finance.totals.disputesHeld')}</th>
          <th scope="col">${t('finance.totals.net')}</th>
          <th scope="col">${t('finance.totals.count')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          v.rows.length === 0
            ? html`<tr>
                <td colspan="7">${t('finance.common.none')}</td>
              </tr>`
            : v.rows.map(
                (r) =>
                  html`<tr>
                    <th scope="row">${group(r)}</th>
                    <td class="num">${money(r, r.gross)}</td>
                    <td class="num">${money(r, r.fees)}</td>
                    <td class="num">${money(r, r.refunds)}</td>
                    <td class="num">${money(r, r.disputesHeld)}</td>
                    <td class="num" data-net="${r.currency}">${money(r, r.net)}</td>
                    <td class="num">${r.count}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

export function totalsPage(ctx: FinanceContext, v: TotalsView): string {
  const { t } = ctx;
  const chartData = JSON.stringify(
    v.days.map((r) => ({ day: r.group, currency: r.currency, gross: r.gross, net: r.net })),
  );
  const csv = `/finance/exports/fund-totals.csv${query({ fund: v.fund, groupBy: v.groupBy, ...v.period })}`;
  return financePage(ctx, {
    section: 'totals',
    title: t('finance.totals.title'),
    body: html`<h1>${t('finance.totals.title')}</h1>
      ${v.refused}
      <form class="fin-filters" method="get" action="/finance">
        ${fundSelect(ctx, v.funds, v.fund)}
        <label
          >${t('finance.totals.groupBy')}
          <select name="groupBy">
            ${GROUPS.map(
              (g) =>
                html`<option value="${g}" ${g === v.groupBy ? html`selected` : ''}>
                  ${t(`finance.totals.group.${g}`)}
                </option>`,
            )}
          </select></label
        >
        ${periodInputs(ctx, v.period)}
        <button class="button" type="submit">${t('finance.common.apply')}</button>
      </form>
      ${totalsTable(ctx, { rows: v.rows, groupBy: v.groupBy, caption: t('finance.totals.title') })}
      <p><a href="${csv}" download>${t('finance.totals.csv')}</a></p>
      ${v.giving ?? ''}
      <section aria-labelledby="chart-title">
        <h2 id="chart-title">${t('finance.totals.chartTitle')}</h2>
        <p class="hint">${t('finance.totals.chartNote')}</p>
        <div
          id="totals-chart"
          class="fin-chart"
          data-label-gross="${t('finance.totals.gross')}"
          data-label-net="${t('finance.totals.net')}"
        ></div>
        <script type="application/json" id="totals-data">
          ${dataBlock(chartData)}
        </script>
        ${totalsTable(ctx, { rows: v.days, groupBy: 'day', caption: t('finance.totals.byDay') })}
      </section>`,
  });
}

/** JSON inside a data block: `<` escaped so no text can close the script element. */
const dataBlock = (json: string) => new Html(json.replace(/</g, '\\u003c'));

function entryRows(ctx: FinanceContext, entries: JournalEntry[], withStory: boolean): Html {
  const { t } = ctx;
  return html`${entries.map(
    (e) =>
      html`<tr>
        <td class="num">${e.seq}</td>
        <td>${e.kind}</td>
        <td>${when(ctx, e.occurredAt)}</td>
        <td>
          ${e.description} ${e.providerRef ? html`<br /><code>${e.providerRef}</code>` : ''}
          ${
            withStory && e.donationId
              ? html`<br /><a href="/finance/donations/${e.donationId}"
                    >${t('finance.journal.story')}</a
                  >`
              : ''
          }
        </td>
        <td>
          <ul class="fin-lines">
            ${e.lines.map(
              (l) =>
                html`<li>
                  <code>${l.account}</code>
                  <span class="num">${amount(ctx, l.amount, l.currency)}</span>
                </li>`,
            )}
          </ul>
        </td>
      </tr>`,
  )}`;
}

export function entriesTable(
  ctx: FinanceContext,
  entries: JournalEntry[],
  caption: string,
  withStory = true,
): Html {
  const { t } = ctx;
  return html`<div class="fin-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table class="fin-table">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('finance.journal.seq')}</th>
          <th scope="col">${t('finance.journal.kind')}</th>
          <th scope="col">${t('finance.journal.occurredAt')}</th>
          <th scope="col">${t('finance.journal.description')}</th>
          <th scope="col">${t('finance.journal.lines')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          entries.length === 0
            ? html`<tr>
                <td colspan="5">${t('finance.common.none')}</td>
              </tr>`
            : entryRows(ctx, entries, withStory)
        }
      </tbody>
    </table>
  </div>`;
}

export function journalPage(
  ctx: FinanceContext,
  v: {
    funds: Fund[];
    filter: JournalFilter;
    entries: JournalEntry[];
    nextCursor: string | null;
    refused: Html;
  },
): string {
  const { t } = ctx;
  const f = v.filter;
  const { cursor: _cursor, ...rest } = f;
  return financePage(ctx, {
    section: 'journal',
    title: t('finance.journal.title'),
    body: html`<h1>${t('finance.journal.title')}</h1>
      ${v.refused}
      <form class="fin-filters" method="get" action="/finance/journal">
        ${fundSelect(ctx, v.funds, f.fund, { any: true })} ${periodInputs(ctx, f)}
        <label
          >${t('finance.journal.donation')} <input name="donation" value="${f.donation ?? ''}"
        /></label>
        <label
          >${t('finance.journal.providerRef')}
          <input name="providerRef" value="${f.providerRef ?? ''}"
        /></label>
        <button class="button" type="submit">${t('finance.common.apply')}</button>
      </form>
      ${entriesTable(ctx, v.entries, t('finance.journal.title'))}
      <p class="fin-pager">
        ${f.cursor ? html`<a href="/finance/journal${query(rest)}">${t('finance.common.first')}</a>` : ''}
        ${
          v.nextCursor
            ? html`<a rel="next" href="/finance/journal${query({ ...rest, cursor: v.nextCursor })}"
                >${t('finance.common.next')}</a
              >`
            : ''
        }
        <a
          href="/finance/exports/journal.csv${query({ fund: f.fund, from: f.from, to: f.to })}"
          download
          >${t('finance.journal.csv')}</a
        >
      </p>`,
  });
}

export function storyPage(
  ctx: FinanceContext,
  v: { id: string; story: DonationStory; message: Html },
): string {
  const { t } = ctx;
  const p = v.story.payment;
  const pay = p.ok ? p.body : null;
  const reward = v.story.reward.ok ? v.story.reward.body : null;
  const payment = paymentFacts(ctx, p);
  return financePage(ctx, {
    section: 'journal',
    title: t('finance.story.title', { id: v.id }),
    body: html`<h1>${t('finance.story.title', { id: v.id })}</h1>
      ${v.message}
      <section aria-labelledby="pay-title">
        <h2 id="pay-title">${t('finance.story.payment')}</h2>
        ${payment} ${pay ? refundForm(ctx, v.id, pay.amount.currency) : ''}
      </section>
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">${t('finance.story.entries')}</h2>
        ${entriesTable(ctx, v.story.entries.ok ? v.story.entries.body.entries : [], t('finance.story.entries'), false)}
      </section>
      <section aria-labelledby="reward-title">
        <h2 id="reward-title">${t('finance.story.reward')}</h2>
        ${
          reward
            ? html`<p id="reward-status">
                ${reward.kind} · ${reward.status}${reward.officeId ? ` · ${reward.officeId}` : ''}
              </p>`
            : html`<p>${t('finance.story.noReward')}</p>`
        }
      </section>`,
  });
}

function refundForm(ctx: FinanceContext, id: string, currency: string): Html {
  const { t } = ctx;
  return html`<form class="fin-form" method="post" action="/finance/donations/${id}/refund/review">
    <h3>${t('finance.refund.title')}</h3>
    ${csrfField(ctx)}
    <label
      >${t('finance.refund.amount', { currency })}
      <input name="amount" inputmode="decimal" aria-describedby="refund-hint" autocomplete="off"
    /></label>
    <p class="hint" id="refund-hint">${t('finance.refund.amountHint')}</p>
    <button class="button" type="submit">${t('finance.refund.review')}</button>
  </form>`;
}

export function refundConfirmPage(
  ctx: FinanceContext,
  v: { id: string; amountText: string; provider: string; amountMinor: number | null },
): string {
  const { t } = ctx;
  return financePage(ctx, {
    section: 'journal',
    title: t('finance.refund.confirmTitle'),
    body: html`<h1>${t('finance.refund.confirmTitle')}</h1>
      <p>
        ${t('finance.refund.confirmText', { amount: v.amountText, id: v.id, provider: v.provider })}
      </p>
      <form method="post" action="/finance/donations/${v.id}/refund" class="fin-actions">
        ${csrfField(ctx)}
        ${v.amountMinor === null ? '' : html`<input type="hidden" name="amountMinor" value="${v.amountMinor}" />`}
        <button class="button" type="submit" id="confirm-refund">
          ${t('finance.refund.confirm')}
        </button>
        <a class="button secondary" href="/finance/donations/${v.id}"
          >${t('finance.refund.cancel')}</a
        >
      </form>`,
  });
}

export { notice };

function paymentFacts(ctx: FinanceContext, p: DonationStory['payment']): Html {
  const { t } = ctx;
  const pay = p.ok ? p.body : null;
  return pay
    ? html`<dl class="facts">
        <div>
          <dt>${t('finance.common.status')}</dt>
          <dd id="payment-status">${pay.status}</dd>
        </div>
        <div>
          <dt>${t('finance.common.amount')}</dt>
          <dd>${amount(ctx, pay.amount.minor, pay.amount.currency)}</dd>
        </div>
        <div>
          <dt>${t('finance.story.refunded')}</dt>
          <dd id="payment-refunded">${amount(ctx, pay.refunded.minor, pay.refunded.currency)}</dd>
        </div>
        <div>
          <dt>${t('finance.common.fund')}</dt>
          <dd>${pay.fund}</dd>
        </div>
        <div>
          <dt>${t('finance.common.provider')}</dt>
          <dd>${pay.provider}</dd>
        </div>
        <div>
          <dt>${t('finance.story.channel')}</dt>
          <dd>${pay.channel}${pay.officeId ? ` · ${pay.officeId}` : ''}</dd>
        </div>
        <div>
          <dt>${t('finance.story.refs')}</dt>
          <dd><code>${Object.values(pay.providerRefs).join(' · ')}</code></dd>
        </div>
        <div>
          <dt>${t('finance.story.created')}</dt>
          <dd>${when(ctx, pay.createdAt)}</dd>
        </div>
      </dl>`
    : html`<p role="alert">
        ${t('finance.common.refused', { detail: p.detail ?? String(p.status) })}
      </p>`;
}

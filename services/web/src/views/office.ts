// The office console's home: new counter donation, stock at a glance, today's gifts and
// hand-outs, the office's donation points. The live part (#live) is re-rendered by the server
// and swapped in by office.js whenever the office's streams report a change.
import type { Dashboard, Point, Stock } from '../app/office-console';
import { money, time } from '../app/present';
import { html, type Html } from './html';
import {
  consoleBase,
  consoleNav,
  consolePage,
  csrfField,
  type ConsoleContext,
} from './office-parts';

export function counterForm(
  ctx: ConsoleContext,
  officeId: string,
  points: Point[],
  error?: string,
): Html {
  const { t } = ctx;
  const counters = points.filter((p) => p.kind === 'counter' && !p.disabled);
  if (counters.length === 0) return html`<p>${t('office.counter.noPoints')}</p>`;
  return html`<form method="post" action="${consoleBase(officeId)}/counter" class="counter-form">
    ${csrfField(ctx)}
    ${error ? html`<p class="error" id="amount-error" role="alert">${error}</p>` : ''}
    <div class="field">
      <label for="amount">${t('office.counter.amount')}</label>
      <input
        id="amount"
        name="amount"
        inputmode="decimal"
        autocomplete="off"
        required
        aria-describedby="amount-hint${error ? ' amount-error' : ''}"
      />
      <small id="amount-hint">${t('office.counter.amountHint')}</small>
    </div>
    <div class="field">
      <label for="currency">${t('office.counter.currency')}</label>
      <select id="currency" name="currency">
        <option>BYN</option>
        <option>USD</option>
        <option>EUR</option>
      </select>
    </div>
    <div class="field">
      <label for="point">${t('office.counter.point')}</label>
      <select id="point" name="point">
        ${counters.map((p) => html`<option value="${p.id}">${p.label}</option>`)}
      </select>
    </div>
    <button class="button" type="submit">${t('office.counter.show')}</button>
  </form>`;
}

export function stockSummary(
  ctx: ConsoleContext,
  stock: Stock,
  waiting: number,
  ready?: number,
): Html {
  const { t } = ctx;
  const cell = (id: string, label: string, value: number) =>
    html`<div class="figure">
      <dt>${label}</dt>
      <dd id="${id}">${value}</dd>
    </div>`;
  return html`${
      stock.lowStock
        ? html`<p class="notice refused low-stock" role="alert">
            ${t('office.stock.low', { count: stock.available, threshold: stock.lowStockThreshold })}
          </p>`
        : ''
    }
    <dl class="figures">
      ${cell('stock-shelf', t('office.stock.onShelf'), stock.onShelf)}
      ${cell('stock-free', t('office.stock.free'), stock.available)}
      ${cell('stock-reserved', t('office.stock.reserved'), stock.reserved)}
      ${cell('stock-waiting', t('office.stock.waiting'), waiting)}
      ${ready === undefined ? '' : cell('stock-ready', t('office.stock.ready'), ready)}
    </dl>`;
}

const GIFT_STATUSES = [
  'pending',
  'succeeded',
  'failed',
  'expired',
  'refunded',
  'partially_refunded',
];

function giftStatus(ctx: ConsoleContext, status: string): string {
  return GIFT_STATUSES.includes(status) ? ctx.t(`office.status.${status}`) : status;
}

function todayTables(ctx: ConsoleContext, d: Dashboard): Html {
  const { t, locale } = ctx;
  const gifts = d.gifts.length
    ? html`<table id="gifts">
        <thead>
          <tr>
            <th scope="col">${t('office.today.time')}</th>
            <th scope="col">${t('office.today.amount')}</th>
            <th scope="col">${t('office.today.status')}</th>
          </tr>
        </thead>
        <tbody>
          ${d.gifts.map(
            (g) =>
              html`<tr>
                <td>${time(g.createdAt, locale)}</td>
                <td>${money(g.amount, locale)}</td>
                <td>${giftStatus(ctx, g.status)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p>${t('office.today.none')}</p>`;
  const handouts = d.handouts.length
    ? html`<table id="handouts">
        <thead>
          <tr>
            <th scope="col">${t('office.today.time')}</th>
            <th scope="col">${t('office.today.code')}</th>
            <th scope="col">${t('office.today.by')}</th>
          </tr>
        </thead>
        <tbody>
          ${d.handouts.map(
            (h) =>
              html`<tr>
                <td>${time(h.handedOutAt!, locale)}</td>
                <td>${h.claimCodeHint}</td>
                <td>${h.handedOutBy ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`
    : html`<p>${t('office.today.none')}</p>`;
  return html`<div class="columns">
    <section aria-labelledby="gifts-title">
      <h3 id="gifts-title">${t('office.today.gifts')} (${d.gifts.length})</h3>
      ${gifts}
    </section>
    <section aria-labelledby="handouts-title">
      <h3 id="handouts-title">${t('office.today.handouts')} (${d.handouts.length})</h3>
      ${handouts}
    </section>
  </div>`;
}

/** The part of the home page that changes by itself: stock and today's lists. */
export function liveFragment(ctx: ConsoleContext, officeId: string, d: Dashboard): Html {
  const { t } = ctx;
  return html`<section class="panel" aria-labelledby="stock-title">
      <h2 id="stock-title">${t('office.stock.title')}</h2>
      ${stockSummary(ctx, d.stock, d.waiting, d.ready)}
      <p><a href="${consoleBase(officeId)}/stock">${t('office.stock.details')}</a></p>
    </section>
    <section class="panel" aria-labelledby="today-title">
      <h2 id="today-title">${t('office.today.title')}</h2>
      ${todayTables(ctx, d)}
    </section>`;
}

function pointsList(ctx: ConsoleContext, officeId: string, points: Point[]): Html {
  const { t } = ctx;
  return html`<section class="panel" aria-labelledby="points-title">
    <h2 id="points-title">${t('office.points.title')}</h2>
    <ul class="points">
      ${points.map(
        (p) =>
          html`<li>
            ${p.label} —
            ${t(`office.points.${p.kind}`)}${p.disabled ? html` (${t('office.points.disabled')})` : ''}
          </li>`,
      )}
    </ul>
    <p>
      <a class="button secondary" href="${consoleBase(officeId)}/posters.pdf"
        >${t('office.points.posters')}</a
      >
    </p>
  </section>`;
}

export function officeHomePage(
  ctx: ConsoleContext,
  officeId: string,
  d: Dashboard,
  error?: string,
): string {
  const { t } = ctx;
  const base = consoleBase(officeId);
  return consolePage(ctx, {
    title: t('office.title'),
    script: 'office.js',
    body: html`<h1>${t('office.title')}</h1>
      <p class="office-id">${t('office.officeLabel', { office: officeId })}</p>
      ${consoleNav(ctx, officeId, 'home')}
      <div class="grid">
        <section class="panel" aria-labelledby="counter-title">
          <h2 id="counter-title">${t('office.counter.title')}</h2>
          ${counterForm(ctx, officeId, d.points, error)}
        </section>
        <section class="panel" aria-labelledby="handout-title">
          <h2 id="handout-title">${t('office.handout.title')}</h2>
          <p><a class="button" href="${base}/handout">${t('office.nav.handout')}</a></p>
        </section>
      </div>
      <div
        id="live"
        data-stream="${base}/events?lang=${ctx.locale}"
        data-fragment="${base}/live?lang=${ctx.locale}"
        aria-live="polite"
      >
        ${liveFragment(ctx, officeId, d)}
      </div>
      <p class="live-note">${t('office.live')}</p>
      ${pointsList(ctx, officeId, d.points)}`,
  });
}

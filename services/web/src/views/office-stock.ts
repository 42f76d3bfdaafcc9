// The office's stock page: the counters, a delivery, an adjustment with a reason, a physical
// count, and the latest movements of the stock ledger.
import type { Refusal, Stock } from '../app/office-console';
import { dateTime } from '../app/present';
import { html, type Html } from './html';
import { stockSummary } from './office';
import {
  consoleBase,
  consoleNav,
  consolePage,
  csrfField,
  notice,
  refusalText,
  type ConsoleContext,
} from './office-parts';

export type StockFlash = { done: true } | { refusal: Refusal } | null;

function field(id: string, label: string, input: Html): Html {
  return html`<div class="field"><label for="${id}">${label}</label>${input}</div>`;
}

function forms(ctx: ConsoleContext, officeId: string): Html {
  const { t } = ctx;
  const action = (kind: string) => `${consoleBase(officeId)}/stock/${kind}`;
  return html`<div class="grid three">
    <form
      method="post"
      action="${action('deliveries')}"
      class="panel"
      aria-labelledby="delivery-title"
    >
      <h2 id="delivery-title">${t('office.stock.delivery')}</h2>
      ${csrfField(ctx)}
      ${field('quantity', t('office.stock.quantity'), html`<input id="quantity" name="quantity" type="number" min="1" max="100000" required />`)}
      ${field('delivery-note', t('office.stock.note'), html`<input id="delivery-note" name="note" maxlength="500" />`)}
      <button class="button" type="submit">${t('office.stock.record')}</button>
    </form>
    <form
      method="post"
      action="${action('adjustments')}"
      class="panel"
      aria-labelledby="adjust-title"
    >
      <h2 id="adjust-title">${t('office.stock.adjustment')}</h2>
      ${csrfField(ctx)}
      ${field('delta', t('office.stock.delta'), html`<input id="delta" name="delta" type="number" min="-100000" max="100000" required />`)}
      ${field('reason', t('office.stock.reason'), html`<input id="reason" name="reason" minlength="3" maxlength="500" required />`)}
      <button class="button" type="submit">${t('office.stock.record')}</button>
    </form>
    <form method="post" action="${action('counts')}" class="panel" aria-labelledby="count-title">
      <h2 id="count-title">${t('office.stock.count')}</h2>
      ${csrfField(ctx)}
      ${field('counted', t('office.stock.counted'), html`<input id="counted" name="counted" type="number" min="0" max="1000000" required />`)}
      ${field('count-note', t('office.stock.note'), html`<input id="count-note" name="note" maxlength="500" />`)}
      <button class="button" type="submit">${t('office.stock.record')}</button>
    </form>
  </div>`;
}

const KINDS = ['delivery', 'reservation', 'hand-out', 'return', 'adjustment', 'count'];

function movements(ctx: ConsoleContext, stock: Stock): Html {
  const { t, locale } = ctx;
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  return html`<section class="panel" aria-labelledby="movements-title">
    <h2 id="movements-title">${t('office.stock.movements')}</h2>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="movements-title">
      <table id="movements">
        <thead>
          <tr>
            <th scope="col">${t('office.stock.when')}</th>
            <th scope="col">${t('office.stock.kind')}</th>
            <th scope="col">${t('office.stock.free')}</th>
            <th scope="col">${t('office.stock.reserved')}</th>
            <th scope="col">${t('office.stock.reason')}</th>
            <th scope="col">${t('office.stock.by')}</th>
          </tr>
        </thead>
        <tbody>
          ${stock.recentMovements.map(
            (m) =>
              html`<tr>
                <td>${dateTime(m.createdAt, locale)}</td>
                <td>${KINDS.includes(m.kind) ? t(`office.stock.movement.${m.kind}`) : m.kind}</td>
                <td>${signed(m.availableDelta)}</td>
                <td>${signed(m.reservedDelta)}</td>
                <td>${m.reason ?? ''}</td>
                <td>${m.actor}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

export function stockPage(
  ctx: ConsoleContext,
  officeId: string,
  stock: Stock,
  waiting: number,
  flash: StockFlash,
): string {
  const { t } = ctx;
  const message = !flash
    ? ''
    : 'done' in flash
      ? notice('done', t('office.stock.done'))
      : notice('refused', t('office.stock.refused'), refusalText(t, flash.refusal));
  return consolePage(ctx, {
    title: t('office.stock.title'),
    body: html`<h1>${t('office.stock.title')}</h1>
      ${consoleNav(ctx, officeId, 'stock')} ${message}
      <section class="panel" id="stock-now">${stockSummary(ctx, stock, waiting)}</section>
      ${forms(ctx, officeId)} ${movements(ctx, stock)}`,
  });
}

// The donor's monthly gift, opened from the signed link (no account): what it is, the payments
// so far, and the three things a donor may do — change the amount, cancel (after a
// confirmation step), ask for the year's summary by e-mail.
import type { SubscriptionView } from '../app/monthly-api';
import { dateTime, money } from '../app/present';
import { html, type Html } from './html';
import { layout, type PageContext } from './layout';
import { fundName } from './thanks';

const INSTALLMENT_STATUSES = ['pending', 'succeeded', 'failed', 'partially_refunded', 'refunded'];

function installmentStatus(ctx: PageContext, status: string): string {
  return INSTALLMENT_STATUSES.includes(status)
    ? ctx.t(`monthly.installmentStatus.${status}`)
    : status;
}

export interface MonthlyState {
  subscription: SubscriptionView;
  /** The page's own address (/monthly/<token>): forms post under it. */
  base: string;
  notice: string | null;
  amountError: string | null;
  amountInput: string;
}

function notice(text: string | null): Html {
  return text ? html`<div class="notice" role="status" id="notice"><p>${text}</p></div>` : html``;
}

function facts(ctx: PageContext, s: SubscriptionView): Html {
  const { t, locale } = ctx;
  const row = (label: string, value: Html | string, id: string) =>
    html`<div>
      <dt>${label}</dt>
      <dd id="${id}">${value}</dd>
    </div>`;
  return html`<dl class="facts">
    ${row(t('monthly.amount'), money(s.amount, locale), 'monthly-amount')}
    ${row(t('monthly.fund'), fundName(t, s.fund), 'monthly-fund')}
    ${row(t('monthly.statusLabel'), t(`monthly.status.${s.status}`), 'monthly-status')}
    ${s.startedAt ? row(t('monthly.startedAt'), dateTime(s.startedAt, locale), 'monthly-started') : ''}
    ${row(
      t('monthly.nextCharge'),
      s.nextChargeAt && s.status !== 'cancelled'
        ? dateTime(s.nextChargeAt, locale)
        : t('monthly.noNextCharge'),
      'monthly-next',
    )}
    ${s.donorEmail ? row(t('monthly.email'), s.donorEmail, 'monthly-email') : ''}
  </dl>`;
}

function installments(ctx: PageContext, s: SubscriptionView): Html {
  const { t, locale } = ctx;
  if (s.installments.length === 0)
    return html`<h2>${t('monthly.installments')}</h2>
      <p class="hint">${t('monthly.noInstallments')}</p>`;
  return html`<h2 id="installments-title">${t('monthly.installments')}</h2>
    <table class="installments" aria-labelledby="installments-title">
      <thead>
        <tr>
          <th scope="col">${t('monthly.installmentNo')}</th>
          <th scope="col">${t('monthly.date')}</th>
          <th scope="col">${t('monthly.paidAmount')}</th>
          <th scope="col">${t('monthly.paymentStatus')}</th>
        </tr>
      </thead>
      <tbody>
        ${s.installments.map(
          (i) =>
            html`<tr>
              <td>${i.installment}</td>
              <td>${dateTime(i.occurredAt, locale)}</td>
              <td>${money(i.amount, locale)}</td>
              <td>${installmentStatus(ctx, i.status)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function actions(ctx: PageContext, state: MonthlyState): Html {
  const { t, locale } = ctx;
  const s = state.subscription;
  if (s.status === 'cancelled') return html``;
  const q = `?lang=${locale}`;
  return html`<section aria-labelledby="change-title">
      <h2 id="change-title">${t('monthly.changeTitle')}</h2>
      <form method="post" action="${state.base}/amount${q}" novalidate>
        <label for="new-amount">${t('monthly.newAmount', { currency: s.amount.currency })}</label>
        <input
          id="new-amount"
          name="amount"
          inputmode="decimal"
          autocomplete="off"
          value="${state.amountInput}"
          aria-describedby="new-amount-hint new-amount-error"
          ${state.amountError ? 'aria-invalid="true"' : ''}
        />
        <p class="hint" id="new-amount-hint">${t('monthly.newAmountHint')}</p>
        <p class="error" id="new-amount-error" ${state.amountError ? '' : 'hidden'}>
          ${state.amountError ?? ''}
        </p>
        <button type="submit" class="button">${t('monthly.change')}</button>
      </form>
    </section>
    <section aria-labelledby="cancel-title">
      <h2 id="cancel-title">${t('monthly.cancelTitle')}</h2>
      <p>
        <a class="button secondary" id="cancel-link" href="${state.base}/cancel${q}"
          >${t('monthly.cancel')}</a
        >
      </p>
    </section>`;
}

function summaryForm(ctx: PageContext, state: MonthlyState): Html {
  const { t, locale } = ctx;
  const year = new Date().getUTCFullYear();
  const years = [year, year - 1];
  return html`<section aria-labelledby="summary-title">
    <h2 id="summary-title">${t('monthly.summaryTitle')}</h2>
    <form method="post" action="${state.base}/annual-summary?lang=${locale}">
      <label for="summary-year">${t('monthly.summaryYear')}</label>
      <select id="summary-year" name="year">
        ${years.map((y) => html`<option value="${y}">${y}</option>`)}
      </select>
      <button type="submit" class="button secondary">${t('monthly.summary')}</button>
    </form>
  </section>`;
}

export function monthlyPage(ctx: PageContext, state: MonthlyState): string {
  const { t } = ctx;
  const body = html`<h1>${t('monthly.title')}</h1>
    ${notice(state.notice)} ${facts(ctx, state.subscription)}
    ${installments(ctx, state.subscription)} ${actions(ctx, state)} ${summaryForm(ctx, state)}`;
  return layout(ctx, { title: t('monthly.title'), body });
}

/** The confirmation step before cancelling: a form that posts, and a way back. */
export function cancelConfirmPage(ctx: PageContext, state: MonthlyState): string {
  const { t, locale } = ctx;
  const s = state.subscription;
  const body = html`<h1>${t('monthly.confirmTitle')}</h1>
    ${facts(ctx, s)}
    <p id="confirm-text">${t('monthly.confirmText')}</p>
    <form method="post" action="${state.base}/cancel?lang=${locale}">
      <button type="submit" class="button" id="confirm-cancel">${t('monthly.confirm')}</button>
    </form>
    <p><a href="${state.base}?lang=${locale}">${t('monthly.keep')}</a></p>`;
  return layout(ctx, { title: t('monthly.confirmTitle'), body });
}

/** The thank-you page's part for an installment: which one, and the manage link. */
export function manageFragment(ctx: PageContext, link: string, installment: number | null): Html {
  const { t, locale } = ctx;
  return html`<section class="monthly" id="monthly-manage" aria-labelledby="monthly-manage-title">
    <h2 id="monthly-manage-title">${t('monthly.manageLink')}</h2>
    ${installment ? html`<p>${t('monthly.thanksInstallment', { installment })}</p>` : ''}
    <p><a class="button secondary" href="${link}?lang=${locale}">${t('monthly.manageLink')}</a></p>
    <p class="hint">${t('monthly.manageHint')}</p>
  </section>`;
}

import type { PointToken } from '../app/api';
import {
  CURRENCIES,
  money,
  PAYPAL_CURRENCIES,
  PRESETS,
  time,
  type DonateCurrency,
} from '../app/present';
import type { FeeEstimate } from '../app/cover-fee';
import { coverFeeField } from './cover-fee';
import { html, type Html } from './html';
import { layout, type PageContext } from './layout';

export interface DonateForm {
  currency: DonateCurrency;
  /** Chosen preset in minor units, or null when the donor typed an amount. */
  preset: number | null;
  custom: string;
  provider: 'stripe' | 'paypal';
  donorName: string;
  anonymous: boolean;
  email: string;
  /** One Idempotency-Key per rendered form: a double click cannot start two payments. */
  idem: string;
  pointToken: string;
  /** Add the card fee so all of the gift reaches the fund (views/cover-fee.ts). */
  coverFee?: boolean;
  /** Once, or every month (a subscription at the provider). */
  frequency: 'once' | 'monthly';
}

export type FieldErrors = Partial<Record<'amount' | 'email' | 'provider' | 'coverFee', string>>;

export interface DonateState {
  form: DonateForm;
  point: PointToken | null;
  pointRefusal: string | null;
  errors: FieldErrors;
  serverDetail: string | null;
  /** The server-rendered estimate beside the cover-the-fee checkbox (null: none known). */
  feeEstimate?: FeeEstimate | null;
}

function fieldError(id: string, message: string | undefined): Html {
  return html`<p class="error" id="${id}-error" ${message ? '' : 'hidden'}>${message ?? ''}</p>`;
}

function officeBanner(ctx: PageContext, state: DonateState): Html {
  const { t, locale } = ctx;
  if (state.pointRefusal)
    return html`<div class="notice refused" role="alert">
      <h2>${t('donate.qrRefused')}</h2>
      <p>${state.pointRefusal}</p>
      <p>${t('donate.qrOnline')}</p>
    </div>`;
  const point = state.point;
  if (!point) return html``;
  return html`<div class="notice office" id="office">
    <p>${t('donate.atOffice', { office: point.office.name })}</p>
    ${
      point.amount
        ? html`<p class="fixed-amount">
            ${t('donate.counterAmount', { amount: money(point.amount, locale) })}
          </p>`
        : ''
    }
    ${point.expiresAt ? html`<p>${t('donate.counterExpires', { time: time(point.expiresAt, locale) })}</p>` : ''}
  </div>`;
}

function amountFields(ctx: PageContext, state: DonateState): Html {
  const { t, locale } = ctx;
  const { form } = state;
  const fixed = state.point?.amount;
  if (fixed)
    return html`<input type="hidden" name="currency" value="${fixed.currency}" />
      <input type="hidden" name="fixed" value="1" />`;
  return html`<fieldset class="currencies">
      <legend>${t('donate.currencyLegend')}</legend>
      ${CURRENCIES.map(
        (c) =>
          html`<label class="chip"
            ><input
              type="radio"
              name="currency"
              value="${c}"
              ${c === form.currency ? 'checked' : ''}
            />
            ${c}</label
          >`,
      )}
    </fieldset>
    <fieldset class="amounts">
      <legend>${t('donate.amountLegend')}</legend>
      <p class="hint" id="presets-hint">${t('donate.presetsHint')}</p>
      ${CURRENCIES.map(
        (c) =>
          html`<div class="presets" data-currency="${c}" ${c === form.currency ? '' : 'hidden'}>
            ${PRESETS[c].map(
              (minor) =>
                html`<label class="chip"
                  ><input
                    type="radio"
                    name="preset_${c}"
                    value="${minor}"
                    ${c === form.currency && form.preset === minor && !form.custom ? 'checked' : ''}
                  />
                  ${money({ minor, currency: c }, locale)}</label
                >`,
            )}
          </div>`,
      )}
      <label for="custom">${t('donate.custom')}</label>
      <input
        id="custom"
        name="amount"
        inputmode="decimal"
        autocomplete="off"
        value="${form.custom}"
        pattern="\\s*\\d+([.,]\\d{1,2})?\\s*"
        aria-describedby="custom-hint amount-error"
        ${state.errors.amount ? 'aria-invalid="true"' : ''}
      />
      <p class="hint" id="custom-hint">${t('donate.customHint')}</p>
      ${fieldError('amount', state.errors.amount)}
    </fieldset>`;
}

/** "Once / every month": a radio group; not offered at an office counter (a one-off there). */
function frequencyFields(ctx: PageContext, state: DonateState): Html {
  const { t } = ctx;
  if (state.point) return html``;
  const choice = (value: 'once' | 'monthly', label: string) =>
    html`<label class="chip"
      ><input
        type="radio"
        name="frequency"
        value="${value}"
        ${state.form.frequency === value ? 'checked' : ''}
      />
      ${label}</label
    >`;
  return html`<fieldset class="frequency" aria-describedby="frequency-hint">
    <legend>${t('monthly.frequencyLegend')}</legend>
    ${choice('once', t('monthly.once'))} ${choice('monthly', t('monthly.monthly'))}
    <p class="hint" id="frequency-hint">${t('monthly.monthlyHint')}</p>
  </fieldset>`;
}

function methodFields(ctx: PageContext, state: DonateState): Html {
  const { t } = ctx;
  const currency = state.point?.amount?.currency ?? state.form.currency;
  const paypalOk = PAYPAL_CURRENCIES.includes(currency);
  const provider = paypalOk ? state.form.provider : 'stripe';
  return html`<fieldset class="methods" data-paypal-currencies="${PAYPAL_CURRENCIES.join(' ')}">
    <legend>${t('donate.methodLegend')}</legend>
    <label class="chip"
      ><input
        type="radio"
        name="provider"
        value="stripe"
        ${provider === 'stripe' ? 'checked' : ''}
      />
      ${t('donate.card')}</label
    >
    <label class="chip" id="paypal-option" ${paypalOk ? '' : 'hidden'}
      ><input
        type="radio"
        name="provider"
        value="paypal"
        ${provider === 'paypal' ? 'checked' : ''}
        ${paypalOk ? '' : 'disabled'}
      />
      ${t('donate.paypal')}</label
    >
    <p class="hint" id="paypal-reason" ${paypalOk ? 'hidden' : ''}>${t('donate.paypalNoByn')}</p>
    ${fieldError('provider', state.errors.provider)}
  </fieldset>`;
}

function donorFields(ctx: PageContext, state: DonateState): Html {
  const { t } = ctx;
  const { form } = state;
  return html`<fieldset class="donor">
    <legend class="visually-hidden">${t('donate.name')}</legend>
    <label for="donorName">${t('donate.name')}</label>
    <input
      id="donorName"
      name="donorName"
      autocomplete="name"
      maxlength="200"
      value="${form.donorName}"
      ${form.anonymous ? 'disabled' : ''}
    />
    <label class="check"
      ><input
        type="checkbox"
        id="anonymous"
        name="anonymous"
        value="1"
        ${form.anonymous ? 'checked' : ''}
      />
      ${t('donate.anonymous')}</label
    >
    <label for="email">${t('donate.email')}</label>
    <input
      id="email"
      name="email"
      type="email"
      autocomplete="email"
      maxlength="254"
      value="${form.email}"
      aria-describedby="email-hint email-error"
      ${state.errors.email ? 'aria-invalid="true"' : ''}
    />
    <p class="hint" id="email-hint">${t('donate.emailHint')}</p>
    ${fieldError('email', state.errors.email)}
  </fieldset>`;
}

export function donatePage(ctx: PageContext, state: DonateState): string {
  const { t } = ctx;
  const body = html`<h1>${t('donate.title')}</h1>
    ${officeBanner(ctx, state)}
    ${
      state.serverDetail
        ? html`<div class="notice refused" role="alert" id="server-error">
            <h2>${t('donate.refused')}</h2>
            <p>${state.serverDetail}</p>
          </div>`
        : ''
    }
    <form
      method="post"
      action="/donate?lang=${ctx.locale}"
      id="donate-form"
      novalidate
      data-error-amount="${t('donate.errors.amount')}"
      data-error-email="${t('donate.errors.email')}"
    >
      <input type="hidden" name="idem" value="${state.form.idem}" />
      ${state.point && !state.pointRefusal ? html`<input type="hidden" name="point" value="${state.form.pointToken}" />` : ''}
      ${frequencyFields(ctx, state)} ${amountFields(ctx, state)} ${methodFields(ctx, state)}
      ${coverFeeField(ctx, state)} ${donorFields(ctx, state)}
      <button type="submit" class="button">${t('donate.submit')}</button>
      <p class="hint">${t('donate.secure')}</p>
    </form>`;
  return layout(ctx, { title: t('donate.title'), body, script: 'donate.js' });
}

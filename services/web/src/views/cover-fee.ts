// The "add the card fee" checkbox of the donate page and the covered part on the thank-you
// page. Its own file and functions, so the donate view only calls them (monthly giving changes
// the same form at the same time).
import type { Donation } from '../app/api';
import type { FeeEstimate } from '../app/cover-fee';
import { money } from '../app/present';
import type { Locale, T } from '../i18n';
import { html, type Html } from './html';
import type { PageContext } from './layout';

/** The checkbox's words for an estimate (also sent to the page's script as it changes). */
export function coverFeeWords(
  t: T,
  locale: Locale,
  estimate: FeeEstimate | null,
): { label: string; hint: string } {
  if (!estimate) return { label: t('coverFee.labelNoEstimate'), hint: '' };
  return {
    label: t('coverFee.label', { fee: money(estimate.fee, locale) }),
    hint: t('coverFee.hint', {
      amount: money(estimate.amount, locale),
      total: money(estimate.total, locale),
    }),
  };
}

/**
 * The checkbox with the estimate for the form's provider, currency and amount, rendered by the
 * server (so it shows without JavaScript); cover-fee.js asks /donate/fee-estimate as they change.
 */
export function coverFeeField(
  ctx: PageContext,
  state: {
    form: { coverFee?: boolean };
    feeEstimate?: FeeEstimate | null;
    errors?: { coverFee?: string };
  },
): Html {
  const error = state.errors?.coverFee;
  const words = coverFeeWords(ctx.t, ctx.locale, state.feeEstimate ?? null);
  return html`<fieldset
      class="cover-fee"
      id="cover-fee"
      data-estimate-url="/donate/fee-estimate?lang=${ctx.locale}"
    >
      <label class="check"
        ><input
          type="checkbox"
          id="coverFee"
          name="coverFee"
          value="1"
          aria-describedby="cover-fee-hint${error ? ' coverFee-error' : ''}"
          ${error ? 'aria-invalid="true"' : ''}
          ${state.form.coverFee ? 'checked' : ''}
        />
        <span id="cover-fee-label">${words.label}</span></label
      >
      <p class="hint" id="cover-fee-hint" ${words.hint ? '' : 'hidden'}>${words.hint}</p>
      <p class="error" id="coverFee-error" ${error ? '' : 'hidden'}>${error ?? ''}</p>
    </fieldset>
    <script type="module" src="/static/cover-fee.js"></script>`;
}

/** On the thank-you page: what the donor added for the fee, and what reaches the fund. */
export function coveredFeeFacts(
  ctx: PageContext,
  d: Pick<Donation, 'amount' | 'coveredFee'>,
): Html {
  const covered = d.coveredFee;
  if (!covered || covered.minor <= 0) return html``;
  const gift = { minor: d.amount.minor - covered.minor, currency: d.amount.currency };
  return html`<div>
      <dt>${ctx.t('coverFee.covered')}</dt>
      <dd id="covered-fee">${money(covered, ctx.locale)}</dd>
    </div>
    <div>
      <dt>${ctx.t('coverFee.gift')}</dt>
      <dd id="gift-to-fund">${money(gift, ctx.locale)}</dd>
    </div>`;
}

import type { Donation, Reward } from '../app/api';
import { money } from '../app/present';
import type { T } from '../i18n';
import { coveredFeeFacts } from './cover-fee';
import { html, type Html } from './html';
import { layout, type PageContext } from './layout';

const STATUSES = [
  'pending',
  'succeeded',
  'failed',
  'expired',
  'partially_refunded',
  'refunded',
] as const;

/** Money arrived (a refund later does not undo that the gift was made). */
export function isPaid(status: string): boolean {
  return status === 'succeeded' || status === 'partially_refunded' || status === 'refunded';
}

/** Nothing was taken and this checkout is over: the donor may give again. */
export function canTryAgain(status: string): boolean {
  return status === 'failed' || status === 'expired';
}

export function statusText(t: T, status: string): string {
  return (STATUSES as readonly string[]).includes(status) ? t(`thanks.status.${status}`) : status;
}

/** The fund's name for people; the default fund is the campaign's one. */
export function fundName(t: T, fund: string): string {
  return fund === 'specialist-training' ? t('receipt.fundName') : fund;
}

export interface ThanksState {
  donation: Donation;
  secret: string;
  reward: Html | null;
  /** An installment of a monthly gift: the manage link (http/monthly-pages.ts). */
  monthly?: Html | null;
}

function query(ctx: PageContext, secret: string): string {
  const q = new URLSearchParams({ lang: ctx.locale });
  if (secret) q.set('s', secret);
  return q.toString();
}

export function thanksPage(ctx: PageContext, state: ThanksState): string {
  const { t } = ctx;
  const d = state.donation;
  const base = `/thanks/${encodeURIComponent(d.id)}`;
  const body = html`<h1>${t('thanks.title')}</h1>
    ${statusSection(ctx, d, base, state.secret)} ${giftFacts(ctx, d)}
    ${receiptSection(ctx, d, base)} ${rewardSection(ctx, d, state.reward)} ${state.monthly ?? ''}
    <p><a href="/">${t('common.backHome')}</a></p>`;
  return layout(ctx, { title: t('thanks.title'), body, script: 'thanks.js' });
}

/**
 * The live status (thanks.js follows the stream and fetches the reward when it changes) and the
 * way back to the donate page when nothing was taken.
 */
function statusSection(ctx: PageContext, d: Donation, base: string, secret: string): Html {
  const { t, locale } = ctx;
  return html`<section
    class="status"
    id="status"
    data-stream="${base}/events?lang=${locale}"
    data-status="${d.status}"
    data-reward="${base}/reward?${query(ctx, secret)}"
  >
    <p class="status-text" role="status" aria-live="polite" id="status-text">
      ${statusText(t, d.status)}
    </p>
    <p id="retry" ${canTryAgain(d.status) ? '' : 'hidden'}>
      <a class="button" href="/donate?lang=${locale}">${t('thanks.tryAgain')}</a>
    </p>
  </section>`;
}

/** What was given, to which fund, and at which office. */
function giftFacts(ctx: PageContext, d: Donation): Html {
  const { t, locale } = ctx;
  return html`<dl class="facts">
    <div>
      <dt>${t('thanks.amount')}</dt>
      <dd id="amount">${money(d.amount, locale)}</dd>
    </div>
    ${coveredFeeFacts(ctx, d)}
    <div>
      <dt>${t('thanks.fund')}</dt>
      <dd>${fundName(t, d.fund)}</dd>
    </div>
    ${
      d.officeName
        ? html`<div>
            <dt>${t('thanks.office')}</dt>
            <dd id="office-name">${d.officeName}</dd>
          </div>`
        : ''
    }
  </dl>`;
}

/**
 * The receipt link once money arrived; until then a hint that it comes later (none when the
 * checkout is over with nothing taken). thanks.js shows and hides both as the status changes.
 */
function receiptSection(ctx: PageContext, d: Donation, base: string): Html {
  const { t, locale } = ctx;
  const paid = isPaid(d.status);
  return html`<section class="receipt">
    <p id="receipt-link" ${paid ? '' : 'hidden'}>
      <a class="button secondary" href="${base}/receipt.pdf?lang=${locale}" download
        >${t('thanks.receipt')}</a
      >
    </p>
    <p id="receipt-later" class="hint" ${paid || canTryAgain(d.status) ? 'hidden' : ''}>
      ${t('thanks.receiptLater')}
    </p>
  </section>`;
}

/** The reward, or that it is on its way (shown once paid; for an office gift from the start). */
function rewardSection(ctx: PageContext, d: Donation, reward: Html | null): Html {
  const { t } = ctx;
  const paid = isPaid(d.status);
  return html`<section
    class="reward"
    id="reward"
    aria-live="polite"
    ${paid || d.channel === 'office' ? '' : 'hidden'}
  >
    ${reward ?? (paid ? html`<p class="hint">${t('thanks.reward.waiting')}</p>` : '')}
  </section>`;
}

/** The reward part of the thank-you page; also served alone for the page's script to insert. */
export function rewardFragment(
  ctx: PageContext,
  input: { donationId: string; reward: Reward | null; secret: string; officeName: string | null },
): Html {
  const { t } = ctx;
  const r = input.reward;
  if (!r) return html`<p>${t('thanks.reward.none')}</p>`;
  const title = html`<h2>${t('thanks.reward.title')}</h2>`;
  if (r.status === 'handed-out')
    return html`${title}
      <p>${t('thanks.reward.done')}</p>`;
  if (!r.claimCode)
    return html`${title}
      <p>${t('thanks.reward.none')}</p>`;
  if (r.kind === 'digital-sticker-pack')
    return html`${title}
      <p>
        <a
          class="button"
          id="digital-pack"
          href="/packs/${encodeURIComponent(r.claimCode)}?lang=${ctx.locale}"
          >${t('thanks.reward.digital')}</a
        >
      </p>`;
  const qr = `/thanks/${encodeURIComponent(input.donationId)}/claim-qr.png?${query(ctx, input.secret)}`;
  return html`${title}
    <p>
      ${t('thanks.reward.code')}: <strong class="claim-code" id="claim-code">${r.claimCode}</strong>
    </p>
    <img
      class="claim-qr"
      src="${qr}"
      width="288"
      height="288"
      alt="${t('thanks.reward.qrAlt', { code: r.claimCode })}"
    />
    <p>${t('thanks.reward.atCounter', { office: input.officeName ?? r.officeId ?? '' })}</p>
    ${r.status === 'waiting-list' ? html`<p>${t('thanks.reward.waitingList')}</p>` : ''}`;
}

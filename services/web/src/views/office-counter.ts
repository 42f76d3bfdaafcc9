// The counter screen: a full-screen QR for the donor, the time left, the payment's status and,
// once paid, the reward — all live (office-counter.js follows the console's stream).
import type { CounterReward, IntentStatus } from '../app/office-console';
import { money } from '../app/present';
import type { T } from '../i18n';
import { html, Html } from './html';
import { consoleBase, consolePage, type ConsoleContext } from './office-parts';

const DONATION_STATES = ['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'];

/** Where the counter QR stands, in words: waiting, paying, paid, or why it ended unpaid. */
export function counterStateText(t: T, s: IntentStatus): string {
  if (!s.donation)
    return t(`office.counter.state.${s.state === 'expired' ? 'expired' : 'waiting'}`);
  const status = s.donation.status;
  if (status === 'expired') return t('office.counter.state.expiredCheckout');
  if (DONATION_STATES.includes(status)) return t(`office.counter.state.${status}`);
  return t('office.counter.state.other', { status });
}

export function isPaid(s: IntentStatus): boolean {
  const status = s.donation?.status;
  return status === 'succeeded' || status === 'partially_refunded' || status === 'refunded';
}

/** Nothing more will happen to this QR: paid and decided, or ended unpaid. */
export function isSettled(s: IntentStatus, reward: CounterReward | null): boolean {
  if (isPaid(s)) return reward !== null;
  if (!s.donation) return s.state === 'expired';
  return s.donation.status !== 'pending';
}

export function counterRewardText(t: T, s: IntentStatus, r: CounterReward | null): string | null {
  if (!isPaid(s)) return null;
  if (!r) return t('office.counter.reward.waitingDecision');
  if (r.outcome === 'no-reward' || !r.reward) return t('office.counter.reward.none');
  if (r.reward.kind === 'digital-sticker-pack') return t('office.counter.reward.digital');
  if (r.reward.status === 'waiting-list') return t('office.counter.reward.waitingList');
  return t('office.counter.reward.pack', { hint: r.reward.claimCodeHint });
}

export function counterPage(
  ctx: ConsoleContext,
  officeId: string,
  s: IntentStatus,
  reward: CounterReward | null,
  qrSvg: string,
): string {
  const { t, locale } = ctx;
  const base = consoleBase(officeId);
  const stream = `${base}/counter/${encodeURIComponent(s.pointId)}/${encodeURIComponent(s.id)}/events?lang=${locale}`;
  const rewardText = counterRewardText(t, s, reward);
  return consolePage(ctx, {
    title: t('office.counter.title'),
    script: 'office-counter.js',
    body: html`<section
      class="counter-screen"
      id="counter"
      data-stream="${stream}"
      data-expires="${s.expiresAt}"
      data-state="${s.donation ? s.donation.status : s.state}"
    >
      <h1 class="counter-amount" id="counter-amount">${money(s.amount, locale)}</h1>
      <p class="counter-scan">${t('office.counter.scan')}</p>
      <div class="counter-qr" id="counter-qr" role="img" aria-label="${t('office.counter.scan')}">
        ${new Html(qrSvg)}
      </div>
      <p class="countdown" id="countdown-line">
        <span>${t('office.counter.expiresIn')}</span>
        <time
          id="countdown"
          datetime="${s.expiresAt}"
          data-expired="${t('office.counter.expired')}"
        ></time>
      </p>
      <p class="counter-status" id="counter-status" role="status" aria-live="polite">
        ${counterStateText(t, s)}
      </p>
      <p
        class="counter-reward"
        id="counter-reward"
        aria-live="polite"
        ${rewardText ? '' : html` hidden`}
      >
        ${rewardText ?? ''}
      </p>
      <p class="counter-actions">
        <a class="button" href="${base}">${t('office.counter.again')}</a>
        <a class="button secondary" href="${base}/handout">${t('office.nav.handout')}</a>
      </p>
    </section>`,
  });
}

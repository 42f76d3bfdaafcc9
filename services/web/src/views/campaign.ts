import type { ThermometerView } from '../app/present';
import { html } from './html';
import { layout, type PageContext } from './layout';

export function campaignPage(ctx: PageContext, therm: ThermometerView | null): string {
  const { t } = ctx;
  const body = html`<section class="hero">
      <h1>${t('campaign.title')}</h1>
      <p class="lead">${t('campaign.lead')}</p>
      <p>${t('campaign.fund')}</p>
      <p><a class="button" href="/donate">${t('campaign.cta')}</a></p>
    </section>
    <section
      class="thermometer"
      aria-labelledby="raised-title"
      data-stream="/campaign/stream?lang=${ctx.locale}"
    >
      <h2 id="raised-title">${t('campaign.raisedTitle')}</h2>
      <div aria-live="polite">
        <ul class="raised" id="raised">
          ${therm?.raised.map((r) => html`<li data-currency="${r.currency}">${r.text}</li>`)}
        </ul>
        <p class="empty" id="raised-empty" ${therm && !therm.empty ? 'hidden' : ''}>
          ${t('campaign.nothingYet')}
        </p>
        <p class="donors" id="donors">${therm?.donors ?? ''}</p>
      </div>
      <progress
        id="progress"
        max="100"
        value="${therm?.percent ?? 0}"
        aria-labelledby="goal"
      ></progress>
      <p class="goal" id="goal">${therm?.goal ?? ''}</p>
      <p class="note">${t('campaign.live')}</p>
    </section>
    <section class="about">
      <h2>${t('campaign.aboutTitle')}</h2>
      <p>${t('campaign.about1')}</p>
      <p>${t('campaign.about2')}</p>
      <p><a class="button" href="/donate">${t('common.donate')}</a></p>
    </section>`;
  return layout(ctx, { title: t('campaign.title'), body, script: 'campaign.js' });
}

// Hand-out: scan the donor's claim QR (office-scan.js: BarcodeDetector, else jsQR) or type the
// code → what to hand over → confirm. Every refusal is said in the person's language.
import type { CodeCheck, Refusal } from '../app/office-console';
import { html, type Html } from './html';
import {
  consoleBase,
  consoleNav,
  consolePage,
  csrfField,
  notice,
  refusalText,
  type ConsoleContext,
} from './office-parts';

export type HandoutState =
  | { step: 'ask' }
  | { step: 'check'; check: CodeCheck }
  | { step: 'refused'; code: string; refusal: Refusal }
  | { step: 'done'; code: string };

function scanner(ctx: ConsoleContext): Html {
  const { t } = ctx;
  return html`<section
    class="panel scanner"
    id="scanner"
    aria-labelledby="scan-title"
    data-jsqr="/static/office-vendor/jsQR.js"
    data-no-camera="${t('office.handout.noCamera')}"
  >
    <h2 id="scan-title">${t('office.handout.scanTitle')}</h2>
    <video id="scan-video" muted playsinline hidden></video>
    <canvas id="scan-canvas" hidden></canvas>
    <p id="scan-help">${t('office.handout.cameraHelp')}</p>
    <p id="scan-message" role="status"></p>
    <p>
      <button class="button" type="button" id="scan-start" hidden>
        ${t('office.handout.startCamera')}
      </button>
      <button class="button secondary" type="button" id="scan-stop" hidden>
        ${t('office.handout.stopCamera')}
      </button>
    </p>
  </section>`;
}

function codeForm(ctx: ConsoleContext, officeId: string, value = ''): Html {
  const { t } = ctx;
  return html`<section class="panel" aria-labelledby="type-title">
    <h2 id="type-title">${t('office.handout.typeTitle')}</h2>
    <form method="get" action="${consoleBase(officeId)}/handout" id="code-form">
      <div class="field">
        <label for="code">${t('office.handout.code')}</label>
        <input
          id="code"
          name="code"
          value="${value}"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          required
          aria-describedby="code-hint"
        />
        <small id="code-hint">${t('office.handout.codeHint')}</small>
      </div>
      <button class="button" type="submit">${t('office.handout.check')}</button>
    </form>
  </section>`;
}

function checkPanel(ctx: ConsoleContext, officeId: string, check: CodeCheck): Html {
  const { t } = ctx;
  return html`<section class="panel confirm" aria-labelledby="confirm-title">
    <h2 id="confirm-title">
      ${t('office.handout.handOver', { count: check.handOver.physicalStickerPacks })}
    </h2>
    <p id="checked-code">${t('office.handout.codeIs', { code: check.code })}</p>
    <form method="post" action="${consoleBase(officeId)}/handout">
      ${csrfField(ctx)}
      <input type="hidden" name="code" value="${check.code}" />
      <button class="button" type="submit" id="confirm">${t('office.handout.confirm')}</button>
      <a class="button secondary" href="${consoleBase(officeId)}/handout"
        >${t('office.handout.cancel')}</a
      >
    </form>
  </section>`;
}

export function handoutPage(ctx: ConsoleContext, officeId: string, state: HandoutState): string {
  const { t } = ctx;
  const base = consoleBase(officeId);
  let body: Html;
  if (state.step === 'check') body = checkPanel(ctx, officeId, state.check);
  else if (state.step === 'done')
    body = html`${notice('done', t('office.handout.done'), t('office.handout.codeIs', { code: state.code }))}
      <p><a class="button" href="${base}/handout" autofocus>${t('office.handout.next')}</a></p>`;
  else
    body = html`${
        state.step === 'refused'
          ? notice('refused', t('office.handout.refusedTitle'), refusalText(t, state.refusal))
          : ''
      }
      <div class="grid">
        ${scanner(ctx)}${codeForm(ctx, officeId, state.step === 'refused' ? state.code : '')}
      </div>`;
  return consolePage(ctx, {
    title: t('office.handout.title'),
    script: state.step === 'ask' || state.step === 'refused' ? 'office-scan.js' : undefined,
    body: html`<h1>${t('office.handout.title')}</h1>
      ${consoleNav(ctx, officeId, 'handout')} ${body}`,
  });
}

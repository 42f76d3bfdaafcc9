import { html } from './html';
import { layout, type PageContext } from './layout';

export function errorPage(ctx: PageContext, message: string): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('errors.title'),
    body: html`<h1>${t('errors.title')}</h1>
      <p role="alert">${message}</p>
      <p><a href="/">${t('common.backHome')}</a></p>`,
  });
}

/** A digital sticker pack: opened once with a POST (a link preview must not use it up). */
export function packPage(
  ctx: PageContext,
  input: { code: string; downloadUrl: string | null; refusal: string | null },
): string {
  const { t } = ctx;
  const action = `/packs/${encodeURIComponent(input.code)}?lang=${ctx.locale}`;
  const body = input.downloadUrl
    ? html`<h1>${t('pack.title')}</h1>
        <p>${t('pack.ready')}</p>
        <p>
          <a class="button" id="download" href="${input.downloadUrl}">${t('pack.download')}</a>
        </p>`
    : html`<h1>${t('pack.title')}</h1>
        ${
          input.refusal
            ? html`<div class="notice refused" role="alert">
                <h2>${t('pack.refused')}</h2>
                <p>${input.refusal}</p>
              </div>`
            : ''
        }
        <p>${t('pack.intro')}</p>
        <form method="post" action="${action}">
          <button class="button" type="submit">${t('pack.open')}</button>
        </form>`;
  return layout(ctx, { title: t('pack.title'), body });
}

const STICKERS = ['shield', 'heart', 'hands'];

/** Where a digital pack's download link leads (reward's DIGITAL_PACK_URL): the sticker files. */
export function stickersPage(ctx: PageContext): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('pack.title'),
    body: html`<h1>${t('pack.title')}</h1>
      <p>${t('pack.ready')}</p>
      <ul class="stickers">
        ${STICKERS.map(
          (s) =>
            html`<li>
              <a href="/static/stickers/${s}.svg" download
                ><img src="/static/stickers/${s}.svg" width="120" height="120" alt="${s}"
              /></a>
            </li>`,
        )}
      </ul>`,
  });
}

import { LOCALE_NAMES, LOCALES, type Locale, type T } from '../i18n';
import { csrfInput, html, type Html } from './html';

export interface PageContext {
  t: T;
  locale: Locale;
  /** The request's path and query, for the language links (they keep the query). */
  url: string;
  counsellingUrl: string;
  /** On console pages (after requirePerson): who is signed in, and the session's CSRF token. */
  person?: { name: string; role: string; officeId?: string };
  csrfToken?: string;
}

/** The same URL in another language: the query stays (point token, donor secret), lang changes. */
export function withLang(url: string, locale: Locale): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', locale);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

function languageSwitch(ctx: PageContext): Html {
  return html`<nav class="langs" aria-label="${ctx.t('common.language')}">
    <ul>
      ${LOCALES.map((l) =>
        l === ctx.locale
          ? html`<li><span aria-current="true" lang="${l}">${LOCALE_NAMES[l]}</span></li>`
          : html`<li>
              <a href="${withLang(ctx.url, l)}" lang="${l}" hreflang="${l}">${LOCALE_NAMES[l]}</a>
            </li>`,
      )}
    </ul>
  </nav>`;
}

export function helpResources(ctx: PageContext): Html {
  const { t } = ctx;
  return html`<section class="help" aria-labelledby="help-title">
    <h2 id="help-title">${t('help.title')}</h2>
    <p>${t('help.helpline')} <a class="phone" href="tel:88001001611">8 800 100 16 11</a></p>
    <p><a href="${ctx.counsellingUrl}" rel="noopener">${t('help.counselling')}</a></p>
  </section>`;
}

/** The signed-in person and a sign-out button (a POST with the CSRF token: a link could be forged). */
function signedIn(ctx: PageContext): Html | '' {
  if (!ctx.person || !ctx.csrfToken) return '';
  const { t } = ctx;
  return html`<div class="signed-in">
    <span class="who"
      >${t('signin.signedInAs', { name: ctx.person.name })}
      <span class="role">(${t(`signin.roles.${ctx.person.role}`)})</span></span
    >
    <form method="post" action="/signout">
      ${csrfInput(ctx.csrfToken)}
      <button type="submit" class="link-button">${t('signin.signOut')}</button>
    </form>
  </div>`;
}

export function layout(
  ctx: PageContext,
  page: { title: string; body: Html; script?: string },
): string {
  const { t } = ctx;
  return html`<!doctype html>
    <html lang="${ctx.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} · ${t('meta.siteName')}</title>
        <meta name="description" content="${t('meta.description')}" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/site.css" />
        ${ctx.csrfToken ? html`<meta name="csrf-token" content="${ctx.csrfToken}" />` : ''}
        ${page.script ? html`<script type="module" src="/static/${page.script}"></script>` : ''}
      </head>
      <body>
        <a class="skip" href="#main">${t('common.skip')}</a>
        <header class="top">
          <a class="brand" href="/">${t('meta.siteName')}</a>
          ${languageSwitch(ctx)} ${signedIn(ctx)}
        </header>
        <main id="main">${page.body}</main>
        <footer class="foot">
          ${helpResources(ctx)}
          <p class="partners">${t('common.partners')}</p>
        </footer>
      </body>
    </html>`.value;
}

// Pieces every office console and office admin page shares: its context (the signed-in person
// and the form token), the console's navigation, refusals in the person's words, amounts.
import type { Refusal } from '../app/office-console';
import type { T } from '../i18n';
import { csrfInput, html, type Html } from './html';
import { layout, type PageContext } from './layout';

export interface ConsoleContext extends PageContext {
  csrf: string;
  personName: string;
}

const REFUSALS = [
  'wrong-office',
  'used',
  'expired',
  'revoked',
  'waiting',
  'digital',
  'invalid-code',
  'unknown-code',
  'insufficient-stock',
  'count-below-reserved',
  'invalid-number',
] as const;

/** A refusal of a service in the person's language: by its code, else by its status. */
export function refusalText(t: T, refusal: Refusal): string {
  if (refusal.code && (REFUSALS as readonly string[]).includes(refusal.code))
    return t(`office.refusal.${refusal.code}`);
  if (refusal.status === 403) return t('office.refusal.forbidden');
  return t('office.refusal.other', { detail: refusal.detail ?? String(refusal.status) });
}

export function csrfField(ctx: ConsoleContext): Html {
  return csrfInput(ctx.csrf);
}

export function consoleBase(officeId: string): string {
  return `/office/${encodeURIComponent(officeId)}`;
}

export function consoleNav(ctx: ConsoleContext, officeId: string, current: string): Html {
  const { t } = ctx;
  const base = consoleBase(officeId);
  const items: [string, string, string][] = [
    ['home', base, t('office.nav.home')],
    ['handout', `${base}/handout`, t('office.nav.handout')],
    ['stock', `${base}/stock`, t('office.nav.stock')],
  ];
  return html`<nav class="console-nav" aria-label="${t('office.title')}">
    <ul>
      ${items.map(([key, href, label]) =>
        key === current
          ? html`<li><a href="${href}" aria-current="page">${label}</a></li>`
          : html`<li><a href="${href}">${label}</a></li>`,
      )}
      <li><a href="${base}/posters.pdf">${t('office.nav.posters')}</a></li>
    </ul>
  </nav>`;
}

/** A console page: its own style sheet (wider layout, large touch targets). */
export function consolePage(
  ctx: ConsoleContext,
  page: { title: string; body: Html; script?: string; wide?: boolean },
): string {
  return layout(ctx, {
    title: page.title,
    script: page.script,
    body: html`<link rel="stylesheet" href="/static/office.css" />
      <div class="console${page.wide === false ? '' : ' wide'}">${page.body}</div>`,
  });
}

export function notice(kind: 'done' | 'refused', title: string, text?: string): Html {
  return html`<div class="notice ${kind}" role="${kind === 'refused' ? 'alert' : 'status'}">
    <p><strong>${title}</strong>${text ? html` ${text}` : ''}</p>
  </div>`;
}

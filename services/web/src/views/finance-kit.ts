// Pieces every finance console page shares: the section navigation, money and dates, the
// service's refusal in words, the CSRF field, period inputs.
import { isCurrency } from '@bfi/money';
import { dateTime, money } from '../app/present';
import type { ApiAnswer } from '../app/api';
import { csrfInput, html, type Html } from './html';
import { layout, type PageContext } from './layout';

export interface FinanceContext extends PageContext {
  /** The session's CSRF token, for every form of the console. */
  csrf: string;
  /** Whether the person is an admin (shows the admin links). */
  admin: boolean;
}

export type Section =
  'totals' | 'journal' | 'reconciliation' | 'flagged' | 'deadLetters' | 'audit' | 'funds';

const SECTIONS: [Section, string][] = [
  ['totals', '/finance'],
  ['journal', '/finance/journal'],
  ['reconciliation', '/finance/reconciliation'],
  ['flagged', '/finance/flagged'],
  ['deadLetters', '/finance/dead-letters'],
  ['audit', '/finance/audit'],
  ['funds', '/admin/funds'],
];

function financeNav(ctx: FinanceContext, current: Section): Html {
  return html`<nav class="fin-nav" aria-label="${ctx.t('finance.nav.label')}">
    <ul>
      ${SECTIONS.filter(([s]) => s !== 'funds' || ctx.admin).map(([s, href]) =>
        s === current
          ? html`<li><a href="${href}" aria-current="page">${ctx.t(`finance.nav.${s}`)}</a></li>`
          : html`<li><a href="${href}">${ctx.t(`finance.nav.${s}`)}</a></li>`,
      )}
    </ul>
  </nav>`;
}

/** A console page: the site layout, the console's stylesheet and navigation, then the body. */
export function financePage(
  ctx: FinanceContext,
  page: { section: Section; title: string; body: Html; script?: boolean },
): string {
  return layout(ctx, {
    title: page.title,
    script: page.script === false ? undefined : 'finance.js',
    body: html`<link rel="stylesheet" href="/static/finance.css" />
      <div class="fin">
        ${financeNav(ctx, page.section)}
        <div class="fin-body">${page.body}</div>
      </div>`,
  });
}

export function csrfField(ctx: FinanceContext): Html {
  return csrfInput(ctx.csrf);
}

export function amount(ctx: PageContext, minor: number | null, currency: string | null): string {
  if (minor === null || currency === null) return '—';
  return isCurrency(currency) ? money({ minor, currency }, ctx.locale) : `${minor} ${currency}`;
}

export function when(ctx: PageContext, iso: string | null): string {
  return iso ? dateTime(iso, ctx.locale) : '—';
}

/** A message that the action worked, or what the service said when it refused. */
export function notice(kind: 'ok' | 'refused', text: string | null | undefined): Html {
  if (!text) return html``;
  return kind === 'ok'
    ? html`<p class="notice fin-ok" role="status">${text}</p>`
    : html`<p class="notice refused" role="alert">${text}</p>`;
}

export function refusal(ctx: PageContext, answer: ApiAnswer<unknown>): Html {
  if (answer.ok) return html``;
  return notice(
    'refused',
    ctx.t('finance.common.refused', { detail: answer.detail ?? String(answer.status) }),
  );
}

/** From/to date inputs (to is exclusive, as the ledger reads it). */
export function periodInputs(
  ctx: PageContext,
  p: { from?: string; to?: string },
  required = false,
): Html {
  const { t } = ctx;
  return html`<label
      >${t('finance.common.from')}
      <input type="date" name="from" value="${p.from ?? ''}" ${required ? html`required` : ''}
    /></label>
    <label
      >${t('finance.common.to')}
      <input type="date" name="to" value="${p.to ?? ''}" ${required ? html`required` : ''}
    /></label>`;
}

export function fundSelect(
  ctx: PageContext,
  funds: { slug: string; name: string }[],
  selected: string | undefined,
  opts: { any?: boolean; name?: string; label?: string } = {},
): Html {
  return html`<label
    >${opts.label ?? ctx.t('finance.common.fund')}
    <select name="${opts.name ?? 'fund'}">
      ${opts.any ? html`<option value="">—</option>` : ''}
      ${funds.map(
        (f) =>
          html`<option value="${f.slug}" ${f.slug === selected ? html`selected` : ''}>
            ${f.name} (${f.slug})
          </option>`,
      )}
    </select></label
  >`;
}

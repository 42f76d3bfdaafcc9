// Finance console: one line of a reconciliation run — its audit trail and the resolve / correct form.
import type { Fund, ReconLine, Resolution, Run } from '../app/finance-api';
import { html, type Html } from './html';
import { csrfField, financePage, fundSelect, type FinanceContext, when } from './finance-kit';

type LineView = {
  run: Run;
  line: ReconLine | null;
  trail: Resolution[];
  funds: Fund[];
  message: Html;
};

export function linePage(ctx: FinanceContext, v: LineView): string {
  const { t } = ctx;
  const base = `/finance/reconciliation/runs/${v.run.id}`;
  const lineNo = v.line?.lineNo ?? 0;
  return financePage(ctx, {
    section: 'reconciliation',
    title: t('finance.line.title', { lineNo }),
    body: html`<h1>${t('finance.line.title', { lineNo })}</h1>
      <p>
        <a href="${base}"
          >${t('finance.run.title')} ${v.run.from.slice(0, 10)} – ${v.run.to.slice(0, 10)}</a
        >
      </p>
      ${v.message}
      ${
        v.line
          ? html`<p>
              <strong>${t(`finance.status.${v.line.status}`)}</strong> ·
              <code>${v.line.provider} ${v.line.type} ${v.line.ref}</code> · ${v.line.detail}
            </p>`
          : ''
      }
      <section aria-labelledby="trail-title">
        <h2 id="trail-title">${t('finance.line.trail')}</h2>
        ${
          v.trail.length === 0
            ? html`<p>${t('finance.line.noTrail')}</p>`
            : html`<ol class="fin-trail" id="trail">
                ${v.trail.map(
                  (r) =>
                    html`<li>
                      <strong>${t(`finance.line.actions.${r.action}`)}</strong> — ${r.comment}
                      <span class="hint">(${r.resolvedBy}, ${when(ctx, r.resolvedAt)})</span>
                      ${r.correctionEntryId ? html`<br />${t('finance.line.entry')}: <code>${r.correctionEntryId}</code>` : ''}
                    </li>`,
                )}
              </ol>`
        }
      </section>
      ${resolveForm(ctx, v, `${base}/lines/${lineNo}/resolution`)}`,
  });
}

function resolveForm(ctx: FinanceContext, v: LineView, action: string): Html {
  const { t } = ctx;
  return html`<form class="fin-form" method="post" action="${action}">
    <h2>${t('finance.run.act')}</h2>
    ${csrfField(ctx)}
    <fieldset>
      <legend>${t('finance.line.action')}</legend>
      ${(['accept', 'correct', 'reopen'] as const).map(
        (a, i) =>
          html`<label class="check"
            ><input type="radio" name="action" value="${a}" ${i === 0 ? html`checked` : ''} />
            ${t(`finance.line.actions.${a}`)}</label
          >`,
      )}
    </fieldset>
    <label
      >${t('finance.line.comment')}
      <textarea name="comment" required minlength="3" rows="3"></textarea>
    </label>
    ${fundSelect(ctx, v.funds, v.line?.fund ?? undefined, { any: true, label: t('finance.line.fund') })}
    <button class="button" type="submit">${t('finance.line.submit')}</button>
  </form>`;
}

// Finance console: statements (upload, import), reconciliation runs with their progress,
// discrepancies by class (a line's page is views/finance-line.ts).
import type { ReconLine, Run, StatementImport } from '../app/finance-api';
import { query } from '../app/finance-api';
import { html, type Html } from './html';
import {
  amount,
  csrfField,
  financePage,
  periodInputs,
  type FinanceContext,
  when,
} from './finance-kit';

const FORMATS = ['stripe-balance', 'stripe-payout', 'paypal-activity'] as const;
const DISCREPANCIES = [
  'amount-mismatch',
  'fee-mismatch',
  'currency-mismatch',
  'missing-in-ledger',
  'missing-at-provider',
  'payout-mismatch',
] as const;

function providerSelect(ctx: FinanceContext, any: boolean): Html {
  const { t } = ctx;
  return html`<label
    >${t('finance.common.provider')}
    <select name="provider">
      ${any ? html`<option value="">${t('finance.common.anyProvider')}</option>` : ''}
      <option value="stripe">Stripe</option>
      <option value="paypal">PayPal</option>
    </select></label
  >`;
}

function uploadForm(ctx: FinanceContext): Html {
  const { t } = ctx;
  return html`<form
    class="fin-form"
    id="upload-form"
    method="post"
    action="/finance/statements/upload"
    enctype="multipart/form-data"
  >
    <h2>${t('finance.recon.uploadTitle')}</h2>
    ${csrfField(ctx)}
    <label
      >${t('finance.recon.format')}
      <select name="format">
        ${FORMATS.map((f) => html`<option value="${f}">${t(`finance.recon.formats.${f}`)}</option>`)}
      </select></label
    >
    <label
      >${t('finance.recon.file')} <input type="file" name="file" accept=".csv,text/csv" required
    /></label>
    <button class="button" type="submit">${t('finance.recon.upload')}</button>
  </form>`;
}

function runsTable(ctx: FinanceContext, runs: Run[]): Html {
  const { t } = ctx;
  return html`<div
    class="fin-scroll"
    tabindex="0"
    role="region"
    aria-label="${t('finance.recon.runsTitle')}"
  >
    <table class="fin-table">
      <caption>
        ${t('finance.recon.runsTitle')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('finance.recon.period')}</th>
          <th scope="col">${t('finance.common.provider')}</th>
          <th scope="col">${t('finance.common.status')}</th>
          <th scope="col">${t('finance.recon.lines')}</th>
          <th scope="col">${t('finance.recon.discrepancies')}</th>
          <th scope="col">${t('finance.common.by')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          runs.length === 0
            ? html`<tr>
                <td colspan="6">${t('finance.common.none')}</td>
              </tr>`
            : runs.map(
                (r) =>
                  html`<tr>
                    <th scope="row">
                      <a href="/finance/reconciliation/runs/${r.id}"
                        >${r.from.slice(0, 10)} – ${r.to.slice(0, 10)}</a
                      >
                    </th>
                    <td>${r.provider ?? t('finance.common.anyProvider')}</td>
                    <td>${t(`finance.recon.statuses.${r.status}`)}</td>
                    <td class="num">${r.summary?.lines ?? '—'}</td>
                    <td class="num">${r.summary?.discrepancies ?? '—'}</td>
                    <td>${r.createdBy ?? ''}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

function importsTable(ctx: FinanceContext, imports: StatementImport[]): Html {
  const { t } = ctx;
  return html`<div
    class="fin-scroll"
    tabindex="0"
    role="region"
    aria-label="${t('finance.recon.importsTitle')}"
  >
    <table class="fin-table">
      <caption>
        ${t('finance.recon.importsTitle')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('finance.common.when')}</th>
          <th scope="col">${t('finance.recon.source')}</th>
          <th scope="col">${t('finance.recon.detail')}</th>
          <th scope="col">${t('finance.recon.counts')}</th>
          <th scope="col">${t('finance.common.by')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          imports.length === 0
            ? html`<tr>
                <td colspan="5">${t('finance.common.none')}</td>
              </tr>`
            : imports.slice(0, 20).map(
                (i) =>
                  html`<tr>
                    <td>${when(ctx, i.createdAt)}</td>
                    <td>${i.source}</td>
                    <td>${i.detail}</td>
                    <td class="num">
                      ${i.inserted} / ${i.unchanged} / ${i.updated} / ${i.skipped}
                    </td>
                    <td>${i.createdBy ?? ''}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

export function reconPage(
  ctx: FinanceContext,
  v: {
    runs: Run[];
    imports: StatementImport[];
    message: Html;
    period: { from?: string; to?: string };
  },
): string {
  const { t } = ctx;
  return financePage(ctx, {
    section: 'reconciliation',
    title: t('finance.recon.title'),
    body: html`<h1>${t('finance.recon.title')}</h1>
      ${v.message}
      <div class="fin-grid">
        <form class="fin-form" method="post" action="/finance/reconciliation/runs">
          <h2>${t('finance.recon.runTitle')}</h2>
          ${csrfField(ctx)} ${periodInputs(ctx, v.period, true)} ${providerSelect(ctx, true)}
          <button class="button" type="submit" id="start-run">${t('finance.recon.start')}</button>
        </form>
        <form class="fin-form" method="post" action="/finance/statements/import">
          <h2>${t('finance.recon.importTitle')}</h2>
          ${csrfField(ctx)} ${periodInputs(ctx, v.period, true)} ${providerSelect(ctx, false)}
          <button class="button" type="submit">${t('finance.recon.import')}</button>
        </form>
        ${uploadForm(ctx)}
      </div>
      ${runsTable(ctx, v.runs)} ${importsTable(ctx, v.imports)}`,
  });
}

function progressBlock(ctx: FinanceContext, run: Run): Html {
  const { t } = ctx;
  const p = run.progress;
  const total = p?.total ?? 0;
  const pct = p && total > 0 ? Math.min(99, Math.floor((p.processed / total) * 100)) : 0;
  const text = !p
    ? t('finance.run.starting')
    : total > 0
      ? t('finance.run.processed', { processed: p.processed, total })
      : t('finance.run.processedNoTotal', { processed: p.processed });
  return html`<section
    aria-labelledby="progress-title"
    id="run-progress"
    data-poll="/finance/reconciliation/runs/${run.id}/progress"
    data-t-processed="${t('finance.run.processed', { processed: '{processed}', total: '{total}' })}"
    data-t-processed-no-total="${t('finance.run.processedNoTotal', { processed: '{processed}' })}"
    data-t-matching="${t('finance.run.phase.matching')}"
    data-t-payouts="${t('finance.run.phase.payouts')}"
    data-t-done="${t('finance.run.phase.done')}"
  >
    <h2 id="progress-title">${t('finance.run.progress')}</h2>
    <progress
      id="run-bar"
      max="100"
      value="${pct}"
      aria-labelledby="progress-title"
      aria-describedby="run-phase run-count"
    >
      ${pct}%
    </progress>
    <p id="run-phase">${p ? t(`finance.run.phase.${p.phase}`) : ''}</p>
    <p id="run-count" aria-live="polite">${text}</p>
    <p class="hint">${t('finance.run.live')}</p>
    <p>
      <a href="/finance/reconciliation/runs/${run.id}" id="run-reload" hidden
        >${t('finance.run.reload')}</a
      >
    </p>
  </section>`;
}

function linesTable(ctx: FinanceContext, run: Run, lines: ReconLine[], caption: string): Html {
  const { t } = ctx;
  return html`<div class="fin-scroll" tabindex="0" role="region" aria-label="${caption}">
    <table class="fin-table" id="discrepancies">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">${t('finance.common.status')}</th>
          <th scope="col">${t('finance.run.ref')}</th>
          <th scope="col">${t('finance.run.statement')}</th>
          <th scope="col">${t('finance.run.ledger')}</th>
          <th scope="col">${t('finance.run.resolution')}</th>
        </tr>
      </thead>
      <tbody>
        ${
          lines.length === 0
            ? html`<tr>
                <td colspan="6">${t('finance.run.noLines')}</td>
              </tr>`
            : lines.map(
                (l) =>
                  html`<tr>
                    <td class="num">${l.lineNo}</td>
                    <td>${t(`finance.status.${l.status}`)}</td>
                    <td>
                      <code>${l.provider} ${l.type} ${l.ref}</code><br /><span class="hint"
                        >${l.detail}</span
                      >
                    </td>
                    <td class="num">${amount(ctx, l.statementGross, l.statementCurrency)}</td>
                    <td class="num">${amount(ctx, l.ledgerGross, l.ledgerCurrency)}</td>
                    <td>
                      ${l.resolution ? l.resolution.action : t('finance.run.unresolved')}
                      <br /><a href="/finance/reconciliation/runs/${run.id}/lines/${l.lineNo}"
                        >${t('finance.run.act')}<span class="visually-hidden">
                          #${l.lineNo}</span
                        ></a
                      >
                    </td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
  </div>`;
}

type RunView = {
  run: Run;
  lines: ReconLine[];
  status?: string;
  nextCursor: string | null;
  refused: Html;
};

function classNav(ctx: FinanceContext, v: RunView, base: string): Html {
  const { t } = ctx;
  const counts = v.run.summary?.counts ?? {};
  return html`<nav aria-label="${t('finance.run.byClass')}" class="fin-classes">
    <h2>${t('finance.run.byClass')}</h2>
    <ul>
      <li>
        <a href="${base}" ${v.status ? '' : html`aria-current="page"`}>${t('finance.run.all')}</a>
      </li>
      ${DISCREPANCIES.map(
        (s) =>
          html`<li>
            <a
              href="${base}${query({ status: s })}"
              ${v.status === s ? html`aria-current="page"` : ''}
              >${t(`finance.status.${s}`)} (${counts[s] ?? 0})</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

function completedRun(ctx: FinanceContext, v: RunView, base: string): Html {
  const { t } = ctx;
  const { run } = v;
  return html`<section aria-labelledby="summary-title">
      <h2 id="summary-title">${t('finance.run.summary')}</h2>
      <p id="run-summary">
        ${t('finance.recon.lines')}: ${run.summary?.lines ?? 0} ·
        ${t('finance.recon.discrepancies')}: ${run.summary?.discrepancies ?? 0}
      </p>
      <p class="fin-actions">
        <a class="button" href="${base}/lines.csv" download id="download-csv"
          >${t('finance.run.csv')}</a
        >
        <a class="button" href="${base}/report.pdf" download id="download-pdf"
          >${t('finance.run.pdf')}</a
        >
      </p>
      <p class="hint">${t('finance.run.sha')}: <code>${run.csvSha256 ?? ''}</code></p>
    </section>
    ${classNav(ctx, v, base)}
    ${linesTable(ctx, run, v.lines, v.status ? t(`finance.status.${v.status}`) : t('finance.run.all'))}
    ${
      v.nextCursor
        ? html`<p>
            <a rel="next" href="${base}${query({ status: v.status, cursor: v.nextCursor })}"
              >${t('finance.common.next')}</a
            >
          </p>`
        : ''
    }`;
}

export function runPage(ctx: FinanceContext, v: RunView): string {
  const { t } = ctx;
  const { run } = v;
  const base = `/finance/reconciliation/runs/${run.id}`;
  const done =
    run.status === 'completed'
      ? completedRun(ctx, v, base)
      : run.status === 'failed'
        ? html`<p role="alert">${t('finance.run.failed', { error: run.error ?? '' })}</p>`
        : progressBlock(ctx, run);
  return financePage(ctx, {
    section: 'reconciliation',
    title: t('finance.run.title'),
    body: html`<h1>${t('finance.run.title')} ${run.from.slice(0, 10)} – ${run.to.slice(0, 10)}</h1>
      <p>
        ${t('finance.common.status')}:
        <strong id="run-status">${t(`finance.recon.statuses.${run.status}`)}</strong>
      </p>
      ${v.refused} ${done}`,
  });
}

// Finance console: flagged rewards, dead letters with replay, the hash-chain audit; /admin/funds.
import type { AuditReport, DeadLetter, FlaggedReward, Fund } from '../app/finance-api';
import { html, type Html } from './html';
import { amount, csrfField, financePage, type FinanceContext, when } from './finance-kit';

export function flaggedPage(
  ctx: FinanceContext,
  v: { rewards: FlaggedReward[]; refused: Html },
): string {
  const { t } = ctx;
  return financePage(ctx, {
    section: 'flagged',
    title: t('finance.flagged.title'),
    script: false,
    body: html`<h1>${t('finance.flagged.title')}</h1>
      <p class="lead">${t('finance.flagged.lead')}</p>
      ${v.refused}
      <div class="fin-scroll" tabindex="0" role="region" aria-label="${t('finance.flagged.title')}">
        <table class="fin-table">
          <caption>
            ${t('finance.flagged.title')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('finance.flagged.donation')}</th>
              <th scope="col">${t('finance.flagged.kind')}</th>
              <th scope="col">${t('finance.flagged.office')}</th>
              <th scope="col">${t('finance.flagged.handedOut')}</th>
              <th scope="col">${t('finance.flagged.revoked')}</th>
              <th scope="col">${t('finance.flagged.reason')}</th>
              <th scope="col">${t('finance.flagged.gross')}</th>
              <th scope="col">${t('finance.flagged.reversed')}</th>
            </tr>
          </thead>
          <tbody>
            ${
              v.rewards.length === 0
                ? html`<tr>
                    <td colspan="8">${t('finance.common.none')}</td>
                  </tr>`
                : v.rewards.map(
                    (r) =>
                      html`<tr>
                        <td>
                          <a href="/finance/donations/${r.donationId}"
                            >${r.donationId.slice(0, 8)}</a
                          >
                        </td>
                        <td>${r.kind}</td>
                        <td>${r.officeId ?? '—'}</td>
                        <td>
                          ${when(ctx, r.handedOutAt)}${r.handedOutBy ? ` · ${r.handedOutBy}` : ''}
                        </td>
                        <td>${when(ctx, r.revokedAt)}</td>
                        <td>${r.reason ?? '—'}</td>
                        <td class="num">${amount(ctx, r.gross.minor, r.gross.currency)}</td>
                        <td class="num">${amount(ctx, r.reversed.minor, r.reversed.currency)}</td>
                      </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>`,
  });
}

export function deadLettersPage(
  ctx: FinanceContext,
  v: { letters: DeadLetter[]; message: Html },
): string {
  const { t } = ctx;
  const open = v.letters.filter((l) => !l.replayedAt).length;
  return financePage(ctx, {
    section: 'deadLetters',
    title: t('finance.dead.title'),
    script: false,
    body: html`<h1>${t('finance.dead.title')}</h1>
      <p class="lead">${t('finance.dead.lead')}</p>
      ${v.message}
      ${
        open > 0
          ? html`<form method="post" action="/finance/dead-letters/replay">
              ${csrfField(ctx)}<input type="hidden" name="id" value="all" />
              <button class="button" type="submit">${t('finance.dead.replayAll')}</button>
            </form>`
          : ''
      }
      <div class="fin-scroll" tabindex="0" role="region" aria-label="${t('finance.dead.title')}">
        <table class="fin-table">
          <caption>
            ${t('finance.dead.title')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('finance.dead.event')}</th>
              <th scope="col">${t('finance.dead.topic')}</th>
              <th scope="col">${t('finance.dead.reason')}</th>
              <th scope="col">${t('finance.dead.failedAt')}</th>
              <th scope="col">${t('finance.dead.replayed')}</th>
            </tr>
          </thead>
          <tbody>
            ${
              v.letters.length === 0
                ? html`<tr>
                    <td colspan="5">${t('finance.common.none')}</td>
                  </tr>`
                : v.letters.map((l) => letterRow(ctx, l))
            }
          </tbody>
        </table>
      </div>`,
  });
}

export function auditPage(
  ctx: FinanceContext,
  v: { report: AuditReport | null; refused: Html },
): string {
  const { t } = ctx;
  const r = v.report;
  return financePage(ctx, {
    section: 'audit',
    title: t('finance.audit.title'),
    script: false,
    body: html`<h1>${t('finance.audit.title')}</h1>
      ${v.refused}
      ${
        r
          ? html`<p id="audit-result" class="notice ${r.ok ? 'fin-ok' : 'refused'}" role="status">
                ${
                  r.ok
                    ? t('finance.audit.ok', { checked: r.checked })
                    : t('finance.audit.broken', {
                        seq: r.firstBreak?.seq ?? 0,
                        detail: r.firstBreak?.detail ?? '',
                      })
                }
              </p>
              <p>
                ${t('finance.audit.head')}: ${r.head.seq} ·
                <code class="fin-hash">${r.head.hash}</code>
              </p>`
          : ''
      }`,
  });
}

export function fundsPage(ctx: FinanceContext, v: { funds: Fund[]; message: Html }): string {
  const { t } = ctx;
  return financePage(ctx, {
    section: 'funds',
    title: t('funds.title'),
    script: false,
    body: html`<h1>${t('funds.title')}</h1>
      ${v.message}
      <div class="fin-scroll" tabindex="0" role="region" aria-label="${t('funds.title')}">
        <table class="fin-table" id="funds">
          <caption>
            ${t('funds.title')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('funds.name')}</th>
              <th scope="col">${t('funds.restricted')}</th>
              <th scope="col">${t('funds.feePolicy')}</th>
              <th scope="col">${t('finance.common.status')}</th>
              <th scope="col"><span class="visually-hidden">${t('funds.close')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${v.funds.map(
              (f) =>
                html`<tr>
                  <th scope="row">${f.name}<br /><code>${f.slug}</code></th>
                  <td>${f.restricted ? t('funds.yes') : t('funds.no')}</td>
                  <td>${t(`funds.feePolicies.${f.feePolicy}`)}</td>
                  <td>${t(`funds.status.${f.status}`)}</td>
                  <td>
                    <form method="post" action="/admin/funds/${f.slug}/status">
                      ${csrfField(ctx)}
                      <input
                        type="hidden"
                        name="status"
                        value="${f.status === 'open' ? 'closed' : 'open'}"
                      />
                      <button class="button secondary" type="submit">
                        ${f.status === 'open' ? t('funds.close') : t('funds.reopen')}<span
                          class="visually-hidden"
                        >
                          ${f.slug}</span
                        >
                      </button>
                    </form>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${createFundForm(ctx)}`,
  });
}

function createFundForm(ctx: FinanceContext): Html {
  const { t } = ctx;
  return html`<form class="fin-form" method="post" action="/admin/funds">
    <h2>${t('funds.create')}</h2>
    ${csrfField(ctx)}
    <label
      >${t('funds.slug')} <input name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*"
    /></label>
    <label>${t('funds.name')} <input name="name" required /></label>
    <label class="check"
      ><input type="checkbox" name="restricted" value="true" /> ${t('funds.restricted')}</label
    >
    <label
      >${t('funds.feePolicy')}
      <select name="feePolicy">
        <option value="fund">${t('funds.feePolicies.fund')}</option>
        <option value="general">${t('funds.feePolicies.general')}</option>
      </select></label
    >
    <label>${t('funds.description')} <textarea name="description" rows="2"></textarea></label>
    <button class="button" type="submit">${t('funds.create')}</button>
  </form>`;
}

function letterRow(ctx: FinanceContext, l: DeadLetter): Html {
  const { t } = ctx;
  return html`<tr>
    <td>
      <code>${l.event.type ?? '?'}</code><br /><span class="hint">${l.event.subject ?? ''}</span>
    </td>
    <td><code>${l.topic}</code></td>
    <td>${l.reason}<br /><span class="hint">${l.error}</span></td>
    <td>${when(ctx, l.failedAt)}</td>
    <td>
      ${
        l.replayedAt
          ? `${when(ctx, l.replayedAt)} · ${l.replayedBy ?? ''}`
          : html`<form method="post" action="/finance/dead-letters/replay">
              ${csrfField(ctx)}<input type="hidden" name="id" value="${l.id}" />
              <button class="button secondary" type="submit">
                ${t('finance.dead.replay')}<span class="visually-hidden"> ${l.id}</span>
              </button>
            </form>`
      }
    </td>
  </tr>`;
}

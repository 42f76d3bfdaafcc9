// Admin pages of the offices: offices and donation points (create, disable, posters), reward
// rules (create, end, delete) and every office's stock; and admin's office chooser in /office.
import type { OfficeStockRow, OfficeWithPoints, Rule } from '../app/office-admin';
import type { Refusal } from '../app/office-console';
import { dateTime, money } from '../app/present';
import { html, type Html } from './html';
import { consolePage, csrfField, notice, refusalText, type ConsoleContext } from './office-parts';

export type AdminFlash = { done: true } | { refusal: Refusal } | null;

function flashOf(ctx: ConsoleContext, flash: AdminFlash, done: string): Html | '' {
  if (!flash) return '';
  return 'done' in flash
    ? notice('done', done)
    : notice('refused', ctx.t('office.stock.refused'), refusalText(ctx.t, flash.refusal));
}

function postButton(ctx: ConsoleContext, action: string, label: string, name: string): Html {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(ctx)}<button
      class="button secondary small"
      type="submit"
      aria-label="${label}: ${name}"
    >
      ${label}
    </button>
  </form>`;
}

export function officeChooser(ctx: ConsoleContext, offices: OfficeWithPoints[]): string {
  const { t } = ctx;
  return consolePage(ctx, {
    title: t('office.chooseOffice'),
    body: html`<h1>${t('office.chooseOffice')}</h1>
      <ul class="points">
        ${offices.map(
          (o) =>
            html`<li><a href="/office/${encodeURIComponent(o.id)}">${o.name}</a> (${o.id})</li>`,
        )}
      </ul>`,
  });
}

function officeCard(ctx: ConsoleContext, o: OfficeWithPoints): Html {
  const a = (k: string) => ctx.t(`office.admin.offices.${k}`);
  const id = encodeURIComponent(o.id);
  return html`<section class="panel office-card" aria-labelledby="office-${o.id}">
    <h2 id="office-${o.id}">${o.name}</h2>
    <p>${o.id} · ${o.disabled ? a('disabled') : a('active')}</p>
    <p>
      <a class="button secondary small" href="/admin/offices/${id}/posters.pdf">${a('posters')}</a>
      ${o.disabled ? '' : postButton(ctx, `/admin/offices/${id}/disable`, a('disable'), o.name)}
    </p>
    <h3>${a('points')}</h3>
    ${
      o.points.length === 0
        ? html`<p>${a('none')}</p>`
        : html`<ul class="points">
            ${o.points.map(
              (p) =>
                html`<li>
                  ${p.label} —
                  ${ctx.t(`office.points.${p.kind}`)}${
                    p.disabled
                      ? html` (${ctx.t('office.points.disabled')})`
                      : html` ${postButton(ctx, `/admin/points/${encodeURIComponent(p.id)}/disable`, a('disablePoint'), p.label)}`
                  }
                </li>`,
            )}
          </ul>`
    }
    ${
      o.disabled
        ? ''
        : html`<form method="post" action="/admin/offices/${id}/points" class="row">
            ${csrfField(ctx)}
            <div class="field">
              <label for="label-${o.id}">${a('label')}</label
              ><input id="label-${o.id}" name="label" required maxlength="200" />
            </div>
            <div class="field">
              <label for="kind-${o.id}">${a('kind')}</label>
              <select id="kind-${o.id}" name="kind">
                <option value="poster">${ctx.t('office.points.poster')}</option>
                <option value="counter">${ctx.t('office.points.counter')}</option>
              </select>
            </div>
            <button class="button" type="submit">${a('addPoint')}</button>
          </form>`
    }
  </section>`;
}

export function officesPage(
  ctx: ConsoleContext,
  offices: OfficeWithPoints[],
  flash: AdminFlash,
): string {
  const a = (k: string) => ctx.t(`office.admin.offices.${k}`);
  return consolePage(ctx, {
    title: a('title'),
    body: html`<h1>${a('title')}</h1>
      ${flashOf(ctx, flash, a('done'))}
      <form method="post" action="/admin/offices" class="panel row" aria-labelledby="new-office">
        <h2 id="new-office">${a('create')}</h2>
        ${csrfField(ctx)}
        <div class="field">
          <label for="office-id">${a('id')}</label>
          <input
            id="office-id"
            name="id"
            required
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            aria-describedby="office-id-hint"
          />
          <small id="office-id-hint">${a('idHint')}</small>
        </div>
        <div class="field">
          <label for="office-name">${a('name')}</label
          ><input id="office-name" name="name" required maxlength="200" />
        </div>
        <button class="button" type="submit">${a('create')}</button>
      </form>
      <div class="grid">${offices.map((o) => officeCard(ctx, o))}</div>`,
  });
}

function ruleRow(ctx: ConsoleContext, r: Rule, now: Date): Html {
  const { t, locale } = ctx;
  const a = (k: string) => t(`office.admin.rules.${k}`);
  const ended = r.activeUntil !== null && Date.parse(r.activeUntil) <= now.getTime();
  const minimums = Object.entries(r.minimums)
    .map(([currency, minor]) => money({ minor, currency: currency as 'BYN' }, locale))
    .join(', ');
  const id = encodeURIComponent(r.id);
  return html`<tr>
    <td>${r.channel === 'office' ? a('officeChannel') : a('online')}</td>
    <td>${r.kind === 'physical-sticker-pack' ? a('physical') : a('digitalKind')}</td>
    <td>${minimums}</td>
    <td>${r.outOfStock === 'wait-for-stock' ? a('waitForStock') : a('digitalFallback')}</td>
    <td>${r.priority}</td>
    <td>
      ${dateTime(r.activeFrom, locale)} –
      ${r.activeUntil ? dateTime(r.activeUntil, locale) : a('open')}${ended ? html` (${a('ended')})` : ''}
    </td>
    <td>
      ${ended ? '' : postButton(ctx, `/admin/reward-rules/${id}/end`, a('end'), r.id)}
      ${postButton(ctx, `/admin/reward-rules/${id}/delete`, a('delete'), r.id)}
    </td>
  </tr>`;
}

function ruleForm(ctx: ConsoleContext): Html {
  const a = (k: string, o?: Record<string, string>) => ctx.t(`office.admin.rules.${k}`, o);
  const select = (name: string, options: [string, string][]) =>
    html`<div class="field">
      <label for="rule-${name}">${a(name)}</label
      ><select id="rule-${name}" name="${name}">
        ${options.map(([v, l]) => html`<option value="${v}">${l}</option>`)}
      </select>
    </div>`;
  const input = (name: string, label: string, attrs: Html) =>
    html`<div class="field">
      <label for="rule-${name}">${label}</label><input id="rule-${name}" name="${name}" ${attrs} />
    </div>`;
  return html`<form
    method="post"
    action="/admin/reward-rules"
    class="panel row"
    aria-labelledby="new-rule"
  >
    <h2 id="new-rule">${a('create')}</h2>
    ${csrfField(ctx)}
    ${input('campaign', a('campaign'), html`value="#BullyingFreeInternet" required maxlength="200"`)}
    ${select('channel', [
      ['office', a('officeChannel')],
      ['online', a('online')],
    ])}
    ${select('kind', [
      ['physical-sticker-pack', a('physical')],
      ['digital-sticker-pack', a('digitalKind')],
    ])}
    ${select('outOfStock', [
      ['wait-for-stock', a('waitForStock')],
      ['digital-fallback', a('digitalFallback')],
    ])}
    ${input('fund', a('fund'), html`pattern="[a-z0-9]+(-[a-z0-9]+)*"`)}
    ${input('priority', a('priority'), html`type="number" value="0" min="-1000" max="1000"`)}
    ${input('activeFrom', a('activeFrom'), html`type="date" required`)}
    ${input('activeUntil', a('activeUntil'), html`type="date"`)}
    ${['BYN', 'USD', 'EUR'].map((c) => input(`min${c}`, a('minimum', { currency: c }), html`inputmode="decimal"`))}
    <button class="button" type="submit">${a('create')}</button>
  </form>`;
}

export function rulesPage(
  ctx: ConsoleContext,
  rules: Rule[],
  flash: AdminFlash,
  now: Date,
): string {
  const a = (k: string) => ctx.t(`office.admin.rules.${k}`);
  return consolePage(ctx, {
    title: a('title'),
    body: html`<h1>${a('title')}</h1>
      ${flashOf(ctx, flash, a('done'))}
      <div class="table-wrap" tabindex="0" role="region" aria-label="${a('title')}">
        <table id="rules">
          <thead>
            <tr>
              <th scope="col">${a('channel')}</th>
              <th scope="col">${a('kind')}</th>
              <th scope="col">${a('minimums')}</th>
              <th scope="col">${a('outOfStock')}</th>
              <th scope="col">${a('priority')}</th>
              <th scope="col">${a('activeFrom')}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            ${rules.map((r) => ruleRow(ctx, r, now))}
          </tbody>
        </table>
      </div>
      ${ruleForm(ctx)}`,
  });
}

export function stockOverviewPage(
  ctx: ConsoleContext,
  rows: (OfficeStockRow & { name: string })[],
  totals: { available: number; reserved: number; waitingList: number },
): string {
  const { t, locale } = ctx;
  const a = (k: string) => t(`office.admin.stock.${k}`);
  return consolePage(ctx, {
    title: a('title'),
    body: html`<h1>${a('title')}</h1>
      <div class="table-wrap" tabindex="0" role="region" aria-label="${a('title')}">
        <table id="stock-overview">
          <thead>
            <tr>
              <th scope="col">${a('office')}</th>
              <th scope="col">${t('office.stock.free')}</th>
              <th scope="col">${t('office.stock.reserved')}</th>
              <th scope="col">${t('office.stock.waiting')}</th>
              <th scope="col">${a('handedOut')}</th>
              <th scope="col">${a('fallbacks')}</th>
              <th scope="col">${a('lastMovement')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr class="${r.lowStock ? 'low' : ''}">
                  <th scope="row">${r.name}</th>
                  <td>
                    ${r.available}${r.lowStock ? html` <strong class="badge">${a('low')}</strong>` : ''}
                  </td>
                  <td>${r.reserved}</td>
                  <td>${r.waitingList}</td>
                  <td>${r.handedOut}</td>
                  <td>${r.digitalFallbacks}</td>
                  <td>${r.lastMovementAt ? dateTime(r.lastMovementAt, locale) : ''}</td>
                </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">${a('total')}</th>
              <td>${totals.available}</td>
              <td>${totals.reserved}</td>
              <td>${totals.waitingList}</td>
              <td></td>
              <td></td>
              <td></td>
            </tr>
          </tfoot>
        </table>
      </div>`,
  });
}

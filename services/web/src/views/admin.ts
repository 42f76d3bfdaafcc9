// /admin: the landing page (links to every admin section) and /admin/people (roles).
import type { PeopleEntry, SeenPerson } from '../app/people';
import { csrfInput, html, type Html } from './html';
import { layout, type PageContext } from './layout';

/** The admin sections; the office and finance consoles own the pages behind their links. */
const SECTIONS = [
  ['/admin/people', 'people'],
  ['/admin/offices', 'offices'],
  ['/admin/reward-rules', 'rewardRules'],
  ['/admin/stock', 'stock'],
  ['/admin/funds', 'funds'],
] as const;

export function adminHomePage(ctx: PageContext): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('adminHome.title'),
    body: html`<h1>${t('adminHome.title')}</h1>
      <p>${t('adminHome.intro')}</p>
      <ul class="sections">
        ${SECTIONS.map(
          ([href, key]) =>
            html`<li>
              <a href="${href}">${t(`adminHome.${key}`)}</a> — ${t(`adminHome.${key}Hint`)}
            </li>`,
        )}
      </ul>
      <h2>${t('adminHome.consoles')}</h2>
      <ul class="sections">
        <li><a href="/office">${t('adminHome.officeConsole')}</a></li>
        <li><a href="/finance">${t('adminHome.financeConsole')}</a></li>
      </ul>`,
  });
}

export interface PeopleView {
  entries: PeopleEntry[];
  seen: (SeenPerson & { role: string | null })[];
  offices: { id: string; name: string }[] | null;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  /** What the form had when it was refused (typed again for the person). */
  form?: { who: string; role: string; officeId: string };
}

export function peoplePage(ctx: PageContext, view: PeopleView): string {
  const { t } = ctx;
  const roleName = (role: string) =>
    role === 'none' ? t('people.none') : t(`signin.roles.${role}`);
  return layout(ctx, {
    title: t('people.title'),
    body: html`<p><a href="/admin">${t('adminHome.title')}</a></p>
      <h1>${t('people.title')}</h1>
      <p>${t('people.intro')}</p>
      ${
        view.notice
          ? html`<p
              class="notice ${view.notice.kind === 'error' ? 'refused' : ''}"
              role="${view.notice.kind === 'error' ? 'alert' : 'status'}"
            >
              ${view.notice.text}
            </p>`
          : ''
      }
      ${entriesTable(ctx, view.entries, roleName)} ${roleForm(ctx, view, roleName)}
      ${seenTable(ctx, view.seen, roleName)}`,
  });
}

function entriesTable(
  ctx: PageContext,
  entries: PeopleEntry[],
  roleName: (r: string) => string,
): Html {
  const { t } = ctx;
  if (!entries.length) return html`<p>${t('people.nobody')}</p>`;
  return html`<div class="table-wrap">
    <table id="people">
      <caption>
        ${t('people.tableCaption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('people.who')}</th>
          <th scope="col">${t('people.role')}</th>
          <th scope="col">${t('people.office')}</th>
          <th scope="col">${t('people.updated')}</th>
          <th scope="col"><span class="visually-hidden">${t('people.remove')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (e) =>
            html`<tr>
              <th scope="row">${e.who}</th>
              <td>${roleName(e.role)}</td>
              <td>${e.officeId ?? '—'}</td>
              <td>${e.updatedAt.slice(0, 16).replace('T', ' ')} (${e.updatedBy})</td>
              <td>
                <form method="post" action="/admin/people/remove">
                  ${csrfInput(ctx.csrfToken)}
                  <input type="hidden" name="who" value="${e.who}" />
                  <button
                    type="submit"
                    class="link-button"
                    aria-label="${t('people.removeLabel', { who: e.who })}"
                  >
                    ${t('people.remove')}
                  </button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function roleForm(ctx: PageContext, view: PeopleView, roleName: (r: string) => string): Html {
  const { t } = ctx;
  const form = view.form ?? { who: '', role: 'office-staff', officeId: '' };
  return html`<h2 id="add-title">${t('people.addTitle')}</h2>
    <form method="post" action="/admin/people" class="stack" aria-labelledby="add-title">
      ${csrfInput(ctx.csrfToken)}
      <p>
        <label for="who">${t('people.who')}</label>
        <input
          id="who"
          name="who"
          required
          maxlength="200"
          autocomplete="off"
          value="${form.who}"
        />
      </p>
      <p>
        <label for="role">${t('people.role')}</label>
        <select id="role" name="role">
          ${['admin', 'finance', 'office-staff', 'none'].map(
            (r) =>
              html`<option value="${r}" ${r === form.role ? 'selected' : ''}>
                ${roleName(r)}
              </option>`,
          )}
        </select>
      </p>
      <p>
        <label for="officeId">${t('people.office')}</label>
        ${
          view.offices
            ? html`<select id="officeId" name="officeId" aria-describedby="office-hint">
                <option value="">—</option>
                ${view.offices.map(
                  (o) =>
                    html`<option value="${o.id}" ${o.id === form.officeId ? 'selected' : ''}>
                      ${o.name} (${o.id})
                    </option>`,
                )}
              </select>`
            : html`<input
                id="officeId"
                name="officeId"
                maxlength="100"
                value="${form.officeId}"
                aria-describedby="office-hint"
              />`
        }
        <span id="office-hint" class="hint"
          >${t('people.officeHint')} ${view.offices ? '' : t('people.officesUnavailable')}</span
        >
      </p>
      <p><button class="button" type="submit">${t('people.save')}</button></p>
    </form>`;
}

function seenTable(
  ctx: PageContext,
  seen: PeopleView['seen'],
  roleName: (r: string) => string,
): Html | '' {
  const { t } = ctx;
  if (!seen.length) return '';
  return html`<h2>${t('people.seenTitle')}</h2>
    <div class="table-wrap">
      <table id="seen">
        <caption>
          ${t('people.seenCaption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('people.name')}</th>
            <th scope="col">${t('people.who')}</th>
            <th scope="col">${t('people.currentRole')}</th>
            <th scope="col">${t('people.lastSignIn')}</th>
          </tr>
        </thead>
        <tbody>
          ${seen.map(
            (s) =>
              html`<tr>
                <th scope="row">${s.name}</th>
                <td>${s.email ?? s.sub}</td>
                <td>${s.role ? roleName(s.role) : t('people.none')}</td>
                <td>${s.lastSignIn.slice(0, 16).replace('T', ' ')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

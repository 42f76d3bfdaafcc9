// The finance console's one-off vs monthly totals and the monthly run-rate per currency
// (pledge-ledger GET /totals/giving), shown under the fund totals.
import type { Money } from '@bfi/money';
import { money } from '../app/present';
import type { PersonApi } from '../app/person-api';
import { html, type Html } from './html';
import type { PageContext } from './layout';

interface Totals {
  count: number;
  gross: number;
  reversed: number;
  net: number;
}

export interface GivingTotals {
  funds: { fund: string; currency: string; oneOff: Totals; monthly: Totals }[];
  runRate: { currency: string; minor: number; subscriptions: number }[];
}

export function givingTotals(api: PersonApi) {
  return api.call<GivingTotals>('ledger', 'GET', '/totals/giving');
}

const m = (minor: number, currency: string): Money => ({ minor, currency }) as Money;

export function givingSection(ctx: PageContext, g: GivingTotals): Html {
  const { t, locale } = ctx;
  const cell = (x: Totals, currency: string) =>
    html`<td class="num">
      ${money(m(x.net, currency), locale)}<br /><span class="hint"
        >${t('financeGiving.gifts', { count: x.count })}</span
      >
    </td>`;
  return html`<section aria-labelledby="giving-title" id="giving">
    <h2 id="giving-title">${t('financeGiving.title')}</h2>
    ${
      g.funds.length === 0
        ? html`<p class="hint">${t('financeGiving.none')}</p>`
        : html`<table class="fin-table">
            <thead>
              <tr>
                <th scope="col">${t('financeGiving.fund')}</th>
                <th scope="col">${t('financeGiving.currency')}</th>
                <th scope="col">${t('financeGiving.oneOff')}</th>
                <th scope="col">${t('financeGiving.monthly')}</th>
              </tr>
            </thead>
            <tbody>
              ${g.funds.map(
                (f) =>
                  html`<tr>
                    <th scope="row">${f.fund}</th>
                    <td>${f.currency}</td>
                    ${cell(f.oneOff, f.currency)} ${cell(f.monthly, f.currency)}
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h3>${t('financeGiving.runRate')}</h3>
    <p class="hint">${t('financeGiving.runRateHint')}</p>
    ${
      g.runRate.length === 0
        ? html`<p class="hint" id="run-rate-none">${t('financeGiving.noRunRate')}</p>`
        : html`<ul id="run-rate">
            ${g.runRate.map(
              (r) =>
                html`<li>
                  <strong>${money(m(r.minor, r.currency), locale)}</strong>
                  (${t('financeGiving.subscriptions', { count: r.subscriptions })})
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}

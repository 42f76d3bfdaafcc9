// Figures as a person reads them, per page language: money through @bfi/money (exact minor
// units, the locale's separators), dates in Minsk time with Intl.
import { formatMoney, isCurrency, type Money } from '@bfi/money';
import type { Locale, T } from '../i18n';
import type { CampaignTotals } from './api';

export const CAMPAIGN_TIME_ZONE = 'Europe/Minsk';

export function money(m: Money, locale: Locale): string {
  return formatMoney(m, locale);
}

export function dateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: CAMPAIGN_TIME_ZONE,
  }).format(new Date(iso));
}

export function time(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeStyle: 'short',
    timeZone: CAMPAIGN_TIME_ZONE,
  }).format(new Date(iso));
}

export interface ThermometerView {
  raised: { currency: string; text: string }[];
  donors: string;
  /** Share of the goal reached in the goal's currency, 0–100. */
  percent: number;
  goal: string;
  empty: boolean;
}

export function thermometer(
  totals: CampaignTotals,
  goal: Money,
  locale: Locale,
  t: T,
): ThermometerView {
  const raised = totals.raised
    .filter((r) => isCurrency(r.currency) && r.minor > 0)
    .map((r) => ({
      currency: r.currency,
      text: money({ minor: r.minor, currency: r.currency as Money['currency'] }, locale),
    }));
  const inGoalCurrency = totals.raised.find((r) => r.currency === goal.currency)?.minor ?? 0;
  return {
    raised,
    donors: t('campaign.donors', { count: totals.donors }),
    percent: Math.min(100, Math.floor((inGoalCurrency * 100) / goal.minor)),
    goal: t('campaign.goal', { goal: money(goal, locale) }),
    empty: raised.length === 0,
  };
}

/** Preset amounts per currency, in minor units: what most donors pick in that currency. */
export const PRESETS: Record<'BYN' | 'USD' | 'EUR', number[]> = {
  BYN: [1000, 2500, 5000, 10000],
  USD: [500, 1000, 2500, 5000],
  EUR: [500, 1000, 2500, 5000],
};
export const CURRENCIES = ['BYN', 'USD', 'EUR'] as const;
export type DonateCurrency = (typeof CURRENCIES)[number];
/** PayPal takes no Belarusian rubles (payment refuses it too: domain/donation paypalRefusal). */
export const PAYPAL_CURRENCIES: readonly string[] = ['USD', 'EUR'];

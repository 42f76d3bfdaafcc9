// Message catalogues through i18next: plural rules per language (Intl.PluralRules: one/few/
// many for Belarusian and Russian), interpolation, and a missing-key hook the tests use.
import type { Request, Response } from 'express';
import i18next, { type TFunction } from 'i18next';
import { be } from './locales/be';
import { en } from './locales/en';
import { officeCatalogue } from './locales/office';
import { financeCatalogues } from './locales/finance';
import { coverFeeCatalogue } from './locales/cover-fee';
import { monthlyCatalogues } from './locales/monthly';
import { ru } from './locales/ru';
import { signinBe } from './locales/signin.be';
import { signinEn } from './locales/signin.en';
import { signinRu } from './locales/signin.ru';

export const LOCALES = ['be', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = {
  be: 'Беларуская',
  ru: 'Русский',
  en: 'English',
};
/** When the browser names none of ours: the campaign runs in Belarus. */
export const DEFAULT_LOCALE: Locale = 'be';
export const LANG_COOKIE = 'lang';

/**
 * Each console adds its catalogue here with one line: its own top-level keys (signin, people,
 * adminHome, office…, finance…), merged into the donor pages' catalogue.
 */
const CATALOGUES: Record<'be' | 'ru' | 'en', object>[] = [
  { be, ru, en },
  { be: signinBe, ru: signinRu, en: signinEn },
];
const merged = (lng: 'be' | 'ru' | 'en') => Object.assign({}, ...CATALOGUES.map((c) => c[lng]));

const missing = new Set<string>();
const i18n = i18next.createInstance();
void i18n.init({
  resources: {
    be: { translation: merged('be') },
    ru: { translation: merged('ru') },
    en: { translation: merged('en') },
  },
  supportedLngs: [...LOCALES],
  // No silent fallback: a key missing in one language must show up, not borrow English.
  fallbackLng: false,
  initAsync: false,
  saveMissing: true,
  missingKeyHandler: (lngs, _ns, key) => {
    for (const lng of lngs) missing.add(`${lng}:${key}`);
  },
  // Pages escape every value themselves (views/html.ts); i18next must not escape twice.
  interpolation: { escapeValue: false },
});

/** A console's own catalogue (its keys under its own top-level key), in every language. */
export function addCatalogue(catalogue: Record<Locale, object>): void {
  for (const l of LOCALES) i18n.addResourceBundle(l, 'translation', catalogue[l], true, false);
}
addCatalogue(officeCatalogue);
addCatalogue(financeCatalogues);
addCatalogue(coverFeeCatalogue);
addCatalogue(monthlyCatalogues);

export type T = TFunction;

export function translator(locale: Locale): T {
  return i18n.getFixedT(locale);
}

/** Keys asked for that a catalogue lacks ("ru:thanks.title"), since start or the last clear. */
export function missingKeys(): string[] {
  return [...missing];
}

export function clearMissingKeys(): void {
  missing.clear();
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The page language: `?lang=` (kept in a cookie for the next pages), then the cookie, then
 * Accept-Language, then Belarusian.
 */
export function pickLocale(req: Request, res: Response): Locale {
  const asked = req.query.lang;
  if (isLocale(asked)) {
    res.cookie(LANG_COOKIE, asked, {
      maxAge: 365 * 24 * 3600 * 1000,
      sameSite: 'lax',
      httpOnly: true,
      secure: req.secure,
      path: '/',
    });
    return asked;
  }
  const cookie = cookieValue(req.headers.cookie, LANG_COOKIE);
  if (isLocale(cookie)) return cookie;
  const accepted = req.acceptsLanguages(...LOCALES);
  return isLocale(accepted) ? accepted : DEFAULT_LOCALE;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

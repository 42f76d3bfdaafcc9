import { monthlyBe } from './monthly.be';
import { monthlyEn } from './monthly.en';
import { monthlyRu } from './monthly.ru';

/** Monthly giving's catalogues, added to the site's in src/i18n/index.ts. */
export const monthlyCatalogues = { be: monthlyBe, ru: monthlyRu, en: monthlyEn };

import { financeBe } from './finance.be';
import { financeEn } from './finance.en';
import { financeRu } from './finance.ru';

/** The finance console's catalogues, added to the site's in src/i18n/index.ts. */
export const financeCatalogues = { be: financeBe, ru: financeRu, en: financeEn };

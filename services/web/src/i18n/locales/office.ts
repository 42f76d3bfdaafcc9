import { officeBe } from './office.be';
import { officeEn } from './office.en';
import { officeRu } from './office.ru';

export const officeCatalogue = { be: officeBe, ru: officeRu, en: officeEn };

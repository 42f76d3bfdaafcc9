import type { Request, Response } from 'express';
import { pickLocale, translator } from '../i18n';
import type { PageContext } from '../views/layout';

export function pageContext(req: Request, res: Response, counsellingUrl: string): PageContext {
  const locale = pickLocale(req, res);
  // Pages differ by language and cookie: no shared cache may mix them up.
  res.vary('Accept-Language').vary('Cookie');
  const person = res.locals.person as PageContext['person'];
  const csrfToken = res.locals.csrfToken as string | undefined;
  return { t: translator(locale), locale, url: req.originalUrl, counsellingUrl, person, csrfToken };
}

/** The donor's secret from the thank-you link (`?s=`); never logged (see @bfi/http's logger). */
export function donorSecret(req: Request): string {
  const s = req.query.s;
  return typeof s === 'string' && s.length <= 200 && !s.startsWith('{') ? s : '';
}

export function sendPage(res: Response, status: number, page: string): void {
  res.status(status).type('html').set('cache-control', 'no-store').send(page);
}

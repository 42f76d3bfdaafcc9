// What every office console and office admin route shares: the signed-in person (through
// signin's guard, given as ConsoleAuth), their API client, the page context, the 403 page.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiRefused } from '../app/office-console';
import type { Person, PersonApi, PersonRole } from '../app/office-person-api';
import { errorPage } from '../views/pages';
import type { ConsoleContext } from '../views/office-parts';
import { pageContext, sendPage } from './context';
import type { PageDeps } from './donor-pages';

/** signin's contract (CONSOLES.md): the guard, the person of a request, their API client. */
export interface ConsoleAuth {
  requirePerson(...roles: PersonRole[]): RequestHandler;
  personOf(res: Response): Person;
  personApi(person: Person): PersonApi;
}

export interface ConsoleDeps extends PageDeps {
  auth: ConsoleAuth;
  /** Injected clock ("today" in Minsk); the wall clock by default. */
  now?: () => Date;
}

export function consoleContext(deps: ConsoleDeps, req: Request, res: Response): ConsoleContext {
  const ctx = pageContext(req, res, deps.config.counsellingUrl);
  const person = deps.auth.personOf(res);
  const csrf = typeof res.locals.csrfToken === 'string' ? res.locals.csrfToken : '';
  return { ...ctx, csrf, personName: person.name };
}

export function officeIdOf(req: Request): string {
  return String(req.params.officeId ?? '');
}

/**
 * Staff of one office see only that office (admin sees every one). The services check the
 * person token's office again; this is the page's own refusal, in the person's language.
 */
export function ownOfficeOnly(deps: ConsoleDeps): RequestHandler {
  return (req, res, next) => {
    const person = deps.auth.personOf(res);
    const officeId = officeIdOf(req);
    if (person.role === 'admin' || person.officeId === officeId) return next();
    forbiddenPage(deps, req, res, person.officeId ?? officeId);
  };
}

export function forbiddenPage(deps: ConsoleDeps, req: Request, res: Response, office: string) {
  const ctx = pageContext(req, res, deps.config.counsellingUrl);
  sendPage(res, 403, errorPage(ctx, ctx.t('office.forbidden', { office })));
}

/** A route handler whose ApiRefused (the service said no) becomes a page, not a crash. */
export function page(
  deps: ConsoleDeps,
  handler: (req: Request, res: Response) => Promise<unknown>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch((err: unknown) => {
      if (!(err instanceof ApiRefused) || res.headersSent) return next(err);
      const ctx = pageContext(req, res, deps.config.counsellingUrl);
      const { status, detail } = err.refusal;
      if (status === 403)
        return sendPage(res, 403, errorPage(ctx, ctx.t('office.refusal.forbidden')));
      deps.logger.warn({ status, detail }, 'a console page was refused by an API');
      sendPage(res, status === 404 ? 404 : 502, errorPage(ctx, ctx.t('errors.unavailable')));
    });
  };
}

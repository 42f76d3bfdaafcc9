// Everything people's sign-in adds to the web app, mounted with one call before the consoles:
// sessions, the CSRF guard on the console prefixes, sign-in/out routes and the admin pages.
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Apis } from '../app/api';
import { PeopleTable } from '../app/people';
import type { WebConfig } from '../config';
import { mountAdminPages } from './admin-pages';
import { CSRF_PREFIXES, csrfGuard } from './csrf';
import { sessions, SessionStore } from './session';
import { mountSigninRoutes } from './signin-routes';

export interface Signin {
  store: SessionStore;
  people: PeopleTable;
}

export function mountSignin(
  app: Express,
  deps: { config: WebConfig; apis: Apis; logger: Logger },
): Signin {
  const { signin } = deps.config;
  const store = new SessionStore(signin.idleSeconds * 1000, signin.absoluteSeconds * 1000);
  const people = new PeopleTable(signin.peopleFile);
  const counsellingUrl = deps.config.counsellingUrl;
  app.use(sessions({ store, people, cookieSecure: signin.cookieSecure, counsellingUrl }));
  app.use(CSRF_PREFIXES, ...csrfGuard());
  mountSigninRoutes(app, {
    config: signin,
    counsellingUrl,
    people,
    apis: deps.apis,
    logger: deps.logger,
  });
  mountAdminPages(app, { people, apis: deps.apis, counsellingUrl });
  return { store, people };
}

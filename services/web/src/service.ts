import { join } from 'node:path';
import { createServiceApp, HttpProblem, SseLimiter } from '@bfi/http';
import type { Money } from '@bfi/money';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { Apis, ApiUnavailable, forwardDonorAddress } from './app/api';
import type { WebConfig } from './config';
import { pageContext, sendPage } from './http/context';
import { mountDonorPages, type PageDeps } from './http/donor-pages';
import { mountFinanceConsole } from './http/finance-console';
import { contentSecurityPolicy } from './http/security';
import { mountSignin } from './http/signin';
import { mountThanksPages } from './http/thanks-pages';
import { mountMonthlyPages } from './http/monthly-pages';
import { mountOfficeConsole } from './http/office-console';
import { errorPage, stickersPage } from './views/pages';

// ../src: the same folder from src/ (tsx, Jest) and from dist/main.js (the bundle of infra/build.mjs).
export const PUBLIC_DIR = join(__dirname, '..', 'src', 'public');

export interface WebService {
  app: Express;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Pages without an API answer: a page in the donor's language, not JSON. */
function pageErrors(config: WebConfig, logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent || !req.accepts('html')) return next(err);
    // A refusal (401/403/4xx) stays a refusal: problem+json for scripts, a page for a browser.
    if (err instanceof HttpProblem) {
      if (!(req.get('accept') ?? '').includes('text/html')) return next(err);
      const ctx = pageContext(req, res, config.counsellingUrl);
      const message = err.extra.code === 'csrf' ? ctx.t('signin.csrfRefused') : err.detail;
      return sendPage(res, err.status, errorPage(ctx, message));
    }
    const ctx = pageContext(req, res, config.counsellingUrl);
    if (!(err instanceof ApiUnavailable)) logger.error({ err }, 'page failed');
    else logger.warn({ err: err.message }, 'an API is unavailable');
    sendPage(res, 503, errorPage(ctx, ctx.t('errors.unavailable')));
  };
}

export function createWebService(deps: {
  config: WebConfig;
  logger: Logger;
  goal?: Money;
}): WebService {
  const { config, logger } = deps;
  const apis = new Apis(config);
  const pageDeps: PageDeps = {
    config,
    apis,
    logger,
    goal: deps.goal ?? { minor: 10_000_000, currency: 'BYN' },
    streams: new SseLimiter(config.sse),
  };
  // What stop() closes: resources the pages hold open (the sign-in session store).
  const stoppers: (() => void)[] = [];
  const app = createServiceApp({
    name: 'web',
    logger,
    apiKeys: [],
    readiness: apiReadiness(config),
    routes: (app) => {
      mountPages(app, pageDeps, stoppers);
    },
  });
  return {
    app,
    start: async () => undefined,
    stop: async () => {
      for (const stop of stoppers) stop();
    },
  };
}

/** The web is ready when the three APIs its pages read answer their /healthz. */
function apiReadiness(config: WebConfig): Record<string, () => Promise<void>> {
  const ping = (url: string) => async () => {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  };
  return {
    payment: ping(config.paymentUrl),
    ledger: ping(config.ledgerUrl),
    reward: ping(config.rewardUrl),
  };
}

/** Every page, in order: security first, then the pages, then the HTML 404 and error pages. */
function mountPages(app: Express, pageDeps: PageDeps, stoppers: (() => void)[]): void {
  const { config, logger } = pageDeps;
  app.use((req, _res, next) => forwardDonorAddress(req.ip, next));
  // Sign-out is a form whose answer redirects to the provider's end-session page.
  const issuer = config.signin.oidc?.issuer;
  const formTargets = [...config.checkoutOrigins, ...(issuer ? [new URL(issuer).origin] : [])];
  app.use(contentSecurityPolicy(formTargets));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  const signin = mountSignin(app, pageDeps);
  stoppers.push(() => signin.store.close());
  mountDonorPages(app, pageDeps);
  mountThanksPages(app, pageDeps);
  mountMonthlyPages(app, pageDeps);
  mountOfficeConsole(app, pageDeps);
  mountFinanceConsole(app, pageDeps);
  app.get('/stickers', (req, res) => {
    sendPage(res, 200, stickersPage(pageContext(req, res, config.counsellingUrl)));
  });
  app.use((req, res, next) => {
    if (req.method !== 'GET' || !req.accepts('html')) return next();
    const ctx = pageContext(req, res, config.counsellingUrl);
    sendPage(res, 404, errorPage(ctx, ctx.t('errors.notFound')));
  });
  app.use(pageErrors(config, logger));
}

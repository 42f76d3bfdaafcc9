// The finance console (/finance) and /admin/funds: server-rendered pages over the services'
// APIs, called as the signed-in person (each service checks the finance role again itself).
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Apis } from '../app/api';
import { financeApi, type FinanceApi } from '../app/finance-api';
import { personApi, type PersonApi, type ServiceName } from '../app/person-api';
import type { WebConfig } from '../config';
import type { FinanceContext } from '../views/finance-kit';
import { pageContext } from './context';
import { mountFinanceOps } from './finance-ops';
import { mountFinancePages } from './finance-pages';
import { mountFinanceRecon } from './finance-recon';
import { personOf, requirePerson } from './session';

export interface FinanceDeps {
  config: WebConfig;
  apis: Apis;
  logger: Logger;
}

export const financeOnly = requirePerson('finance');
/** /admin/funds: admin only (requirePerson lets admin through any guard). */
export const adminOnly = requirePerson();
export const form = express.urlencoded({ extended: false, limit: '20kb' });

/** What a console handler needs: the page context and the APIs as this person. */
export function financeRequest(
  deps: FinanceDeps,
  req: Request,
  res: Response,
): { ctx: FinanceContext; api: FinanceApi; person: PersonApi } {
  const person = personOf(res);
  const ctx: FinanceContext = {
    ...pageContext(req, res, deps.config.counsellingUrl),
    csrf: String(res.locals.csrfToken ?? ''),
    admin: person.role === 'admin',
  };
  const raw = personApi(deps.apis, person);
  return { ctx, api: financeApi(raw), person: raw };
}

/** A string query or form value, trimmed; undefined when absent or empty. */
export function field(source: unknown, name: string): string | undefined {
  const v = (source as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A date field as the ISO date the APIs take (yyyy-mm-dd), or undefined. */
export function dateField(source: unknown, name: string): string | undefined {
  const v = field(source, name);
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

const PASSED_HEADERS = ['content-type', 'content-disposition', 'content-length'];

/**
 * Passes a download (CSV, PDF) through as a stream: nothing is buffered here. A browser that
 * goes away aborts the upstream request, so the service stops producing it; a service that
 * fails mid-way cuts this response only (the browser sees a truncated download).
 */
export async function passThrough(
  deps: FinanceDeps,
  req: Request,
  res: Response,
  service: ServiceName,
  path: string,
): Promise<void> {
  const { person } = financeRequest(deps, req, res);
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const upstream = await person.raw(service, path, { signal: abort.signal });
  res.status(upstream.status).set('cache-control', 'no-store');
  for (const h of PASSED_HEADERS) {
    const v = upstream.headers.get(h);
    if (v) res.set(h, v);
  }
  if (!upstream.body) {
    res.end();
    return;
  }
  try {
    await pipeline(
      Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream),
      res,
    );
  } catch (err) {
    abort.abort();
    res.destroy();
    deps.logger.info({ err: (err as Error).message, path }, 'finance download stopped');
  }
}

/** uPlot, pinned in package.json, served from its package as a same-origin static file. */
function mountChartLibrary(app: Express): void {
  const dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
  app.get('/static/vendor/uPlot.esm.js', (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').type('text/javascript');
    res.sendFile(join(dist, 'uPlot.esm.js'));
  });
  app.get('/static/vendor/uPlot.min.css', (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').type('text/css');
    res.sendFile(join(dist, 'uPlot.min.css'));
  });
}

export function mountFinanceConsole(app: Express, deps: FinanceDeps): void {
  mountChartLibrary(app);
  mountFinancePages(app, deps);
  mountFinanceRecon(app, deps);
  mountFinanceOps(app, deps);
}

// CSRF protection for everything a signed-in person can change: every POST/PUT/PATCH/DELETE
// under the console prefixes must carry the session's token, as the form field `_csrf`
// (urlencoded or multipart; both are parsed here, into req.body and req.files) or the header
// X-CSRF-Token. The cookie is SameSite=Lax too, but a token does not depend on the browser.
import { timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import multer from 'multer';
import { HttpProblem } from '@bfi/http';
import { sessionOf } from './session';

/** The prefixes the guard is mounted on (service.ts mounts it before every console router). */
export const CSRF_PREFIXES = ['/office', '/finance', '/admin', '/signout'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Forms may upload a statement: up to 10 MB in memory, 20 files, 200 fields. */
const multipart = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: 10 * 1024 * 1024, files: 20, fields: 200 },
}).any();
const urlencoded = express.urlencoded({ extended: false, limit: '100kb' });

export function csrfGuard(): RequestHandler[] {
  const check: RequestHandler = (req, _res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    const session = sessionOf(req);
    const header = req.get('x-csrf-token');
    const field = formField(req.body);
    const sent = header ?? field;
    if (!session || !sent || !same(sent, session.csrfToken)) {
      const detail =
        'This form has expired or did not come from this site. Reload the page and try again.';
      return next(new HttpProblem(403, 'Forbidden', detail, { code: 'csrf' }));
    }
    next();
  };
  const parseForms: RequestHandler = (req, res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    if (req.is('multipart/form-data')) return multipart(req, res, next);
    if (req.is('application/x-www-form-urlencoded')) return urlencoded(req, res, next);
    next();
  };
  return [parseForms, check];
}

function formField(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)._csrf;
  return typeof v === 'string' ? v : undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

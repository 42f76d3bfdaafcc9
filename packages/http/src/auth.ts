import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler, Request } from 'express';
import { z } from 'zod';
import { looksLikeJwt, PersonTokenRefused, type PersonTokenVerifier } from './person-token';
import { forbidden, unauthorized } from './problem';

export const RoleSchema = z.enum(['admin', 'finance', 'office-staff']);
export type Role = z.infer<typeof RoleSchema>;

/** An API key as configured: only its SHA-256 is ever stored. */
export const ApiKeyRecordSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    role: RoleSchema,
    officeId: z.string().min(1).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the key'),
  })
  .refine((k) => k.role !== 'office-staff' || k.officeId, {
    message: 'an office-staff key must name its officeId',
  });
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

/** API keys from API_KEYS (a JSON array of {id,name,role,officeId?,sha256}); bad ones are named. */
export function parseApiKeys(json: string | undefined): ApiKeyRecord[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(
      'API_KEYS is not valid JSON (expected an array of {id,name,role,officeId?,sha256}).',
    );
  }
  const result = z.array(ApiKeyRecordSchema).safeParse(raw);
  if (!result.success)
    throw new Error(
      `API_KEYS: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}

export interface Principal {
  /** The API key's id, or `person:<sub>` for a signed-in person. */
  keyId: string;
  name: string;
  role: Role;
  officeId?: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `bfi_${randomBytes(24).toString('base64url')}`;
}

/**
 * Reads `Authorization: Bearer <credential>` (or `X-Api-Key`) and attaches the principal, if any.
 * The credential is an API key (machines) or, when `persons` is given, a person token signed by
 * the web app for a signed-in person (see person-token.ts): both give the same principal, so
 * `requireRole` and `assertOffice` hold for people exactly as for keys.
 * Every answer to a request that carries a credential is `Cache-Control: no-store`: finance and
 * staff data must not stay in a browser's or proxy's cache (set here once, for every route).
 */
export function authenticate(
  records: ApiKeyRecord[],
  persons?: PersonTokenVerifier,
): RequestHandler {
  const byHash = new Map(records.map((r) => [r.sha256, r]));
  return (req, res, next) => {
    const header = req.get('authorization');
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.get('x-api-key');
    if (!key) return next();
    res.set('cache-control', 'no-store');
    if (persons && looksLikeJwt(key)) {
      persons(key).then(
        (principal) => {
          req.principal = principal;
          next();
        },
        (err: unknown) =>
          next(
            unauthorized(
              err instanceof PersonTokenRefused ? err.message : 'This person token is not valid.',
            ),
          ),
      );
      return;
    }
    const record = byHash.get(hashApiKey(key));
    if (!record) return next(unauthorized('This API key is not valid.'));
    req.principal = {
      keyId: record.id,
      name: record.name,
      role: record.role,
      officeId: record.officeId,
    };
    next();
  };
}

/** Only these roles pass; admin always passes. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const p = req.principal;
    if (!p) return next(unauthorized('An API key is required (Authorization: Bearer <key>).'));
    if (p.role !== 'admin' && !roles.includes(p.role)) {
      return next(forbidden(`This needs the ${roles.join(' or ')} role; you have ${p.role}.`));
    }
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized('An API key is required (Authorization: Bearer <key>).');
  return req.principal;
}

/** Staff of office A can never act for office B; admins act for any office. */
export function assertOffice(req: Request, officeId: string): Principal {
  const p = principalOf(req);
  if (p.role === 'admin') return p;
  if (p.role !== 'office-staff' || p.officeId !== officeId) {
    throw forbidden(
      `You act for ${p.officeId ? `office ${p.officeId}` : p.role}; you cannot act for office ${officeId}.`,
    );
  }
  return p;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    rawBody?: Buffer;
  }
}

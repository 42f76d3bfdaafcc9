// Person tokens: how a signed-in person's role reaches a service. The web app signs a short-lived
// JWT (ES256, at most 5 minutes, one audience per service) for each call it makes on the
// person's behalf; every service verifies it here, with the web's public key or a JWKS URL, and
// takes the role and office from the token alone — never from anything else the web says.
import { createPublicKey } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  importJWK,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { z } from 'zod';
import type { Principal } from './auth';

// The same three roles as auth.ts's RoleSchema (not imported: auth.ts imports this file).
const RoleSchema = z.enum(['admin', 'finance', 'office-staff']);

/** The longest a person token may live: the web signs them for 5 minutes, nothing longer passes. */
export const PERSON_TOKEN_MAX_AGE_SECONDS = 300;
export const PERSON_TOKEN_ALG = 'ES256';

/** What every service reads to accept person tokens (spread into its own env schema). */
export const PERSON_TOKEN_ENV = {
  /** The web's public key: a PEM (SPKI) or a JWK as JSON. */
  PERSON_TOKEN_PUBLIC_KEY: z.string().optional(),
  /** Or where its public keys are published (JWKS), e.g. the web's /.well-known/person-keys.json. */
  PERSON_TOKEN_JWKS_URL: z.url().optional(),
  /** The `iss` the web signs with. */
  PERSON_TOKEN_ISSUER: z.string().min(1).default('web'),
};

export interface PersonTokenOptions {
  /** This service's name as the `aud` claim: 'payment', 'ledger' or 'reward'. */
  audience: string;
  issuer: string;
  publicKey?: string;
  jwksUrl?: string;
}

/** Person tokens are accepted only when a key or JWKS URL is configured. */
export function personTokensFromEnv(
  e: {
    PERSON_TOKEN_PUBLIC_KEY?: string;
    PERSON_TOKEN_JWKS_URL?: string;
    PERSON_TOKEN_ISSUER: string;
  },
  audience: string,
): PersonTokenOptions | undefined {
  if (!e.PERSON_TOKEN_PUBLIC_KEY && !e.PERSON_TOKEN_JWKS_URL) return undefined;
  return {
    audience,
    issuer: e.PERSON_TOKEN_ISSUER,
    publicKey: e.PERSON_TOKEN_PUBLIC_KEY,
    jwksUrl: e.PERSON_TOKEN_JWKS_URL,
  };
}

const Claims = z
  .object({
    sub: z.string().min(1),
    name: z.string().min(1).max(200),
    role: RoleSchema,
    office_id: z.string().min(1).optional(),
  })
  .refine((c) => c.role !== 'office-staff' || c.office_id, {
    message: 'an office-staff token must name its office_id',
  });

/** Why a token was refused, in words for the 401 answer (never the token itself). */
export class PersonTokenRefused extends Error {}

export type PersonTokenVerifier = (token: string) => Promise<Principal>;

type Key = CryptoKey | KeyObject | Uint8Array | JWTVerifyGetKey;

async function resolveKey(options: PersonTokenOptions): Promise<Key> {
  if (options.jwksUrl) return createRemoteJWKSet(new URL(options.jwksUrl));
  const text = options.publicKey!.trim();
  if (text.startsWith('{')) return importJWK(JSON.parse(text) as JWK, PERSON_TOKEN_ALG);
  return createPublicKey(text);
}

export function personTokenVerifier(options: PersonTokenOptions): PersonTokenVerifier {
  const key = resolveKey(options);
  // A bad key in the configuration shows at the first token, as a refusal (and in the log).
  key.catch(() => undefined);
  return async (token) => {
    let payload: unknown;
    try {
      const k = await key;
      // Two overloads of jwtVerify: a key, or a key set fetched from the JWKS URL.
      const verified =
        typeof k === 'function'
          ? await jwtVerify(token, k, verifyOptions(options))
          : await jwtVerify(token, k, verifyOptions(options));
      payload = verified.payload;
    } catch (err) {
      throw new PersonTokenRefused(refusal(err));
    }
    const { iat, exp } = payload as { iat: number; exp: number };
    if (exp - iat > PERSON_TOKEN_MAX_AGE_SECONDS + 5) {
      throw new PersonTokenRefused('This person token lives longer than 5 minutes.');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new PersonTokenRefused('This person token lacks a valid role.');
    const c = claims.data;
    return {
      keyId: `person:${c.sub}`,
      name: c.name,
      role: c.role,
      officeId: c.role === 'office-staff' ? c.office_id : undefined,
    };
  };
}

function verifyOptions(options: PersonTokenOptions) {
  return {
    algorithms: [PERSON_TOKEN_ALG],
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: ['exp', 'iat', 'sub'],
    maxTokenAge: PERSON_TOKEN_MAX_AGE_SECONDS,
  };
}

function refusal(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'This person token has expired; sign in again.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'This person token is for another service.';
    if (err.claim === 'iat') return 'This person token has expired; sign in again.';
    return `This person token is not valid (${err.claim}).`;
  }
  return 'This person token is not valid.';
}

/** A JWT (three base64url parts) rather than an API key (bfi_…). */
export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(credential);
}

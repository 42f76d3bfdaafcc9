import { createHmac, timingSafeEqual } from 'node:crypto';

// Donation-point tokens: `<base64url JSON payload>.<base64url HMAC-SHA256(secret, payload)>`.
// A poster token attributes gifts to an office and never expires (posters hang for months);
// a counter intent token is bound to one point, office, amount and currency, expires quickly,
// and is single use — which the database enforces (qr_token.consumed_at), not this module.

export interface PosterClaims {
  k: 'poster';
  pid: string;
  oid: string;
}

export interface IntentClaims {
  k: 'intent';
  jti: string;
  pid: string;
  oid: string;
  amt: number;
  cur: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type QrClaims = PosterClaims | IntentClaims;

export type QrVerification =
  | { ok: true; claims: QrClaims }
  | { ok: false; code: 'malformed' | 'forged' | 'expired'; message: string };

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function signQrToken(secret: string, claims: QrClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyQrToken(secret: string, token: string, nowSeconds: number): QrVerification {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) {
    return {
      ok: false,
      code: 'malformed',
      message: 'This QR code is not one of ours (the token is malformed).',
    };
  }
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      code: 'forged',
      message: 'This QR code was not issued by us (its signature does not match).',
    };
  }
  let claims: QrClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as QrClaims;
  } catch {
    return {
      ok: false,
      code: 'malformed',
      message: 'This QR code is not one of ours (the token is malformed).',
    };
  }
  if (claims.k === 'intent' && claims.exp <= nowSeconds) {
    return {
      ok: false,
      code: 'expired',
      message: 'This counter QR code has expired; ask the staff member to show a new one.',
    };
  }
  if (claims.k !== 'intent' && claims.k !== 'poster') {
    return {
      ok: false,
      code: 'malformed',
      message: 'This QR code is not one of ours (unknown token kind).',
    };
  }
  return { ok: true, claims };
}

/** The donation page URL a poster or counter QR opens: the donate page with the token. */
export function posterUrl(donatePageUrl: string, token: string): string {
  const url = new URL(donatePageUrl);
  url.searchParams.set('point', token);
  return url.toString();
}

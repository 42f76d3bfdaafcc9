import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/**
 * The donor secret: proof that a request comes from the device that made the donation.
 * payment returns it in the POST /donations answer and in the thank-you URL and keeps only its
 * SHA-256; the hash travels in the events to reward, which shows the full claim code only to a
 * request that carries the secret.
 */
export const DONOR_SECRET_HEADER = 'x-donor-secret';
/** Query parameter for URLs an <img> must load (claim QR images); redacted in logs. */
export const DONOR_SECRET_QUERY = 's';

/**
 * 256 bits, base64url: HMAC-SHA256 of the donation id under a server key, so it is unguessable
 * without that key (staff and the public never have it) yet the same on every retry of the
 * POST. A freshly drawn random secret could not be: a retry after a lost answer must send the
 * provider the same success URL, or the provider's idempotency check refuses the checkout.
 */
export function deriveDonorSecret(serverKey: string, donationId: string): string {
  return createHmac('sha256', serverKey).update(`donor-secret\0${donationId}`).digest('base64url');
}

export function hashDonorSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The secret a request carries (header first, then `?s=`), if it looks like one. */
export function donorSecretOf(req: Request): string | undefined {
  const header = req.get(DONOR_SECRET_HEADER);
  const query = req.query[DONOR_SECRET_QUERY];
  const value = header ?? (typeof query === 'string' ? query : undefined);
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
}

/** Whether `secret` hashes to `expectedHash`; a missing hash (old rewards) matches nothing. */
export function donorSecretMatches(
  secret: string | undefined,
  expectedHash: string | null | undefined,
): boolean {
  if (!secret || !expectedHash || expectedHash.length !== 64) return false;
  return timingSafeEqual(Buffer.from(hashDonorSecret(secret)), Buffer.from(expectedHash));
}

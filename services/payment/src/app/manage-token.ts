// The donor's manage link for a monthly gift, without an account: a JWT (HS256, jose) whose
// subject is the subscription id, for audience bfi-subscription-manage, signed with the
// service's key and expiring. It travels only in the link (receipt e-mails, thank-you page) and
// is never logged: @bfi/http's request log cuts it out of the path.
import { createHmac } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { HttpProblem, unauthorized } from '@bfi/http';

export const MANAGE_AUDIENCE = 'bfi-subscription-manage';
const ISSUER = 'bfi-payment';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ManageTokenConfig {
  /** The HS256 key; MANAGE_TOKEN_SECRET, else derived from QR_SECRET (one secret less to run). */
  secret: string;
  ttlSeconds: number;
}

/** A label-separated key: a QR-signing key never verifies a manage token, nor the reverse. */
export function manageKeyFrom(serverKey: string): string {
  return createHmac('sha256', serverKey).update('subscription-manage-token').digest('base64url');
}

const keyOf = (config: ManageTokenConfig) => new TextEncoder().encode(config.secret);

export async function signManageToken(
  config: ManageTokenConfig,
  subscriptionId: string,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subscriptionId)
    .setAudience(MANAGE_AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config.ttlSeconds)
    .sign(keyOf(config));
}

/** The subscription id the token is for; 401/403 problem+json a donor can understand otherwise. */
export async function verifyManageToken(
  config: ManageTokenConfig,
  token: string,
  now: Date,
): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, keyOf(config), {
      algorithms: ['HS256'],
      audience: MANAGE_AUDIENCE,
      issuer: ISSUER,
      currentDate: now,
    });
    if (!payload.sub || !UUID.test(payload.sub)) throw new Error('no subscription in the token');
    return payload.sub;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw new HttpProblem(
        403,
        'Forbidden',
        'This link to manage your monthly gift has expired. Open the link in your latest receipt e-mail.',
        { code: 'manage-link-expired' },
      );
    throw unauthorized(
      'This link to manage a monthly gift is not valid (it may be incomplete or altered). Open the link from your receipt e-mail again.',
    );
  }
}

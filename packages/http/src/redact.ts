/**
 * Request and response headers that carry a secret (API keys, cookies, the donor's claim
 * secret, webhook signatures). They never reach a log line: @bfi/platform's `createLogger`
 * redacts them in any object logged with `req`/`res`/`headers`, and the request-log
 * serializers of `createServiceApp` use the same list.
 */
export const SECRET_HEADERS = [
  'authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
  'x-donor-secret',
  'stripe-signature',
  'paypal-transmission-sig',
  'proxy-authorization',
] as const;

/** Query parameters that carry a secret (the donor secret in claim-QR image URLs). */
export const SECRET_QUERY_PARAMS = ['s'] as const;

export const REDACTED = '[redacted]';

/** A copy of `headers` with every secret header's value replaced (names are kept, for debugging). */
export function redactHeaders<T extends Record<string, unknown>>(headers: T | undefined): T {
  const out: Record<string, unknown> = { ...(headers ?? {}) };
  for (const name of Object.keys(out)) {
    if ((SECRET_HEADERS as readonly string[]).includes(name.toLowerCase())) out[name] = REDACTED;
  }
  return out as T;
}

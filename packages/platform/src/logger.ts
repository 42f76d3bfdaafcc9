import pino from 'pino';
import { activeTraceFields } from './tracing';

export type Logger = pino.Logger;

/**
 * Request and response headers that carry a secret (API keys, cookies, the donor's claim
 * secret, webhook signatures). They never reach a log line: pino's `redact` below covers any
 * object logged with `req`/`res`/`headers`, and @bfi/http's request-log serializers use the
 * same list.
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

const redactPaths = SECRET_HEADERS.flatMap((h) => [
  `req.headers["${h}"]`,
  `res.headers["${h}"]`,
  `headers["${h}"]`,
  `request.headers["${h}"]`,
  `response.headers["${h}"]`,
]).concat(SECRET_QUERY_PARAMS.map((q) => `req.query["${q}"]`));

/** A copy of `headers` with every secret header's value replaced (names are kept, for debugging). */
export function redactHeaders<T extends Record<string, unknown>>(headers: T | undefined): T {
  const out: Record<string, unknown> = { ...(headers ?? {}) };
  for (const name of Object.keys(out)) {
    if ((SECRET_HEADERS as readonly string[]).includes(name.toLowerCase())) out[name] = REDACTED;
  }
  return out as T;
}

/**
 * Structured JSON logs; LOG_LEVEL=silent keeps test output readable. Secret headers are
 * redacted whatever logs them. `destination` is for tests that read what a service logs.
 * A line written while a span is active carries its `trace_id`, `span_id` and `trace_flags`
 * (tracing on, see @bfi/telemetry); request logs carry the request id as `req.id`.
 */
export function createLogger(name: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths, censor: REDACTED },
    mixin: activeTraceFields,
  };
  return destination ? pino(options, destination) : pino(options);
}

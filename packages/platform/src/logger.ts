import { activeTraceFields } from '@bfi/messaging';
import { REDACTED, SECRET_HEADERS, SECRET_QUERY_PARAMS } from '@bfi/http';
import pino from 'pino';

export type Logger = pino.Logger;

const redactPaths = SECRET_HEADERS.flatMap((h) => [
  `req.headers["${h}"]`,
  `res.headers["${h}"]`,
  `headers["${h}"]`,
  `request.headers["${h}"]`,
  `response.headers["${h}"]`,
]).concat(SECRET_QUERY_PARAMS.map((q) => `req.query["${q}"]`));

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

import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { HttpProblem, sendProblem } from './problem';

/** The 429 problem every rate limit answers with. */
function tooMany(detail: string): RequestHandler {
  return (req, res) =>
    sendProblem(res, new HttpProblem(429, 'Too many requests', detail), req.originalUrl);
}

/** Rate limit for public endpoints (create donation, webhooks, QR images, status). */
export function publicRateLimit(
  options: { windowMs?: number; limit?: number } = {},
): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit ?? Number(process.env.PUBLIC_RATE_LIMIT ?? 300),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany('Too many requests from your address; please wait a minute and try again.'),
  });
}

/**
 * Rate limit per API key (per address for anonymous requests): for authenticated endpoints
 * where one key, not one address, is the unit of abuse (e.g. opening the office stream).
 */
export function keyedRateLimit(options: { windowMs?: number; limit: number }): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) =>
      req.principal ? `key:${req.principal.keyId}` : `ip:${ipKeyGenerator(req.ip ?? '')}`,
    handler: tooMany('Too many requests with your key; please wait a minute and try again.'),
  });
}

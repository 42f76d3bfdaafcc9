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

export interface DonationLimits {
  windowMs?: number;
  /** Gifts per address per window: an office behind one address, mobile donors behind a NAT. */
  perAddress: number;
  /** Requests per address and Idempotency-Key per window: one client retrying one gift. */
  perKey: number;
}

/**
 * The limit on creating donations: a high ceiling per address (many donors share one: an MTS
 * office, a carrier NAT, a poster's Wi-Fi) and a low one per address and Idempotency-Key (each
 * gift has its own key, so one client hammering the same gift is stopped long before the
 * address's ceiling). Two windows of express-rate-limit, in order; the key one first, so a
 * hammered gift does not use up its neighbours' budget. A client rotating keys meets the
 * address ceiling.
 */
export function donationRateLimit(limits: DonationLimits): RequestHandler[] {
  const windowMs = limits.windowMs ?? 60_000;
  const address = (req: Parameters<RequestHandler>[0]) => ipKeyGenerator(req.ip ?? '');
  const perKey = rateLimit({
    windowMs,
    limit: limits.perKey,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'gift',
    keyGenerator: (req) => `${address(req)}|${req.get('idempotency-key') ?? ''}`,
    // A retry after a failed answer (a 5xx while the database restarts, 409 in-progress) is the
    // client doing the right thing and must not use up its gift's budget; replays of a gift that
    // went through (200) count. The address ceiling below still counts every request.
    skipFailedRequests: true,
    handler: tooMany(
      'This donation has been sent too many times in a minute; please wait a minute and try again (you will not be charged twice).',
    ),
  });
  const perAddress = rateLimit({
    windowMs,
    limit: limits.perAddress,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'address',
    keyGenerator: address,
    handler: tooMany('Too many donations from your address; please wait a minute and try again.'),
  });
  return [perKey, perAddress];
}

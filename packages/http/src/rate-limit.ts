import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { HttpProblem, sendProblem } from './problem';

/** Rate limit for public endpoints (create donation, webhooks, QR images, status). */
export function publicRateLimit(
  options: { windowMs?: number; limit?: number } = {},
): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit ?? Number(process.env.PUBLIC_RATE_LIMIT ?? 300),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) =>
      sendProblem(
        res,
        new HttpProblem(
          429,
          'Too many requests',
          'Too many requests from your address; please wait a minute and try again.',
        ),
        req.originalUrl,
      ),
  });
}

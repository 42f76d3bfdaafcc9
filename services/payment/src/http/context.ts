import { donationRateLimit, keyedRateLimit, publicRateLimit, SseLimiter } from '@bfi/http';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../app/deps';

/** What the route tables share: the use cases' deps, the rate limits and the one SSE limiter. */
export interface RouteContext {
  deps: AppDeps;
  publicLimit: RequestHandler;
  /** POST /donations: per gift (address + Idempotency-Key) and a high ceiling per address. */
  donationLimit: RequestHandler[];
  webhookLimit: RequestHandler;
  streamLimit: RequestHandler;
  streams: SseLimiter;
}

/** The problem a rate-limited route answers when an address asks too often. */
export const RATE_LIMITED = { 429: 'Too many requests from this address; wait a minute' };

export function routeContext(deps: AppDeps): RouteContext {
  const { config } = deps;
  return {
    deps,
    publicLimit: publicRateLimit({ limit: config.publicRateLimit }),
    donationLimit: donationRateLimit(config.donationRateLimit),
    webhookLimit: publicRateLimit({ limit: config.webhookRateLimit }),
    streamLimit: keyedRateLimit({ limit: config.streamRateLimit }),
    streams: new SseLimiter(config.sse),
  };
}

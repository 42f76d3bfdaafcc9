import {
  donationRateLimit,
  keyedRateLimit,
  publicRateLimit,
  SseLimiter,
  shedLoad,
  type LoadShedder,
} from '@bfi/http';
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
  /**
   * Load shedders, each first in its routes' `before`: past its bound a request is refused with
   * 503 + Retry-After before any database write or provider call. POST /donations (creates the
   * provider checkout) …
   */
  donationShed: LoadShedder;
  /** … the other routes that call a provider (refunds, PayPal return, monthly gift changes) … */
  providerShed: LoadShedder;
  /** … and the provider webhooks (refused before the signature check and the fee lookup). */
  webhookShed: LoadShedder;
}

/** The problem a rate-limited route answers when an address asks too often. */
export const RATE_LIMITED = { 429: 'Too many requests from this address; wait a minute' };

/** The problem a shed route answers past its bound. */
export const SHED = {
  503: 'Too busy right now (code overloaded) or the database is out of reach: nothing was done; retry after Retry-After seconds',
};

export function routeContext(deps: AppDeps): RouteContext {
  const { config } = deps;
  const shed = (name: string, maxInFlight: number) =>
    shedLoad({
      name,
      maxInFlight,
      retryAfterSeconds: config.shed.retryAfterSeconds,
      maxEventLoopDelayMs: config.shed.maxEventLoopDelayMs,
    });
  return {
    deps,
    publicLimit: publicRateLimit({ limit: config.publicRateLimit }),
    donationLimit: donationRateLimit(config.donationRateLimit),
    webhookLimit: publicRateLimit({ limit: config.webhookRateLimit }),
    streamLimit: keyedRateLimit({ limit: config.streamRateLimit }),
    streams: new SseLimiter(config.sse),
    donationShed: shed('payment-donations', config.shed.donations),
    providerShed: shed('payment-provider-calls', config.shed.provider),
    webhookShed: shed('payment-webhooks', config.shed.webhooks),
  };
}

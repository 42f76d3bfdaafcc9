import type { Request, Response } from 'express';
import { z } from 'zod';
import { HttpProblem, sendProblem } from './problem';

export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  /** The client's Last-Event-ID when it reconnects (what it saw last), if any. */
  lastEventId: string | undefined;
  closed: Promise<void>;
}

/** How many live streams a process holds, and for how long (see SseLimiter). */
export interface SseLimits {
  /** Streams one client (API key, else IP address) may hold open at once. */
  perClient: number;
  /** Streams this process holds open at once, all clients together. */
  total: number;
  /** The server ends a stream after this long; the browser reconnects with Last-Event-ID. */
  maxAgeMs: number;
  /** Sent as `retry:`: how long a browser waits before it reconnects. */
  retryMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  keepAliveMs: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  perClient: 10,
  total: 2000,
  maxAgeMs: 15 * 60_000,
  retryMs: 3000,
  keepAliveMs: 15_000,
};

/** The SSE_* variables every service's config loader takes (spread into its env schema). */
export const SSE_ENV = {
  SSE_MAX_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(10),
  SSE_MAX_TOTAL: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  SSE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  SSE_RETRY_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
};

export function sseLimitsFromEnv(e: {
  SSE_MAX_PER_CLIENT: number;
  SSE_MAX_TOTAL: number;
  SSE_MAX_AGE_SECONDS: number;
  SSE_RETRY_MS: number;
}): SseLimits {
  return {
    ...DEFAULT_SSE_LIMITS,
    perClient: e.SSE_MAX_PER_CLIENT,
    total: e.SSE_MAX_TOTAL,
    maxAgeMs: e.SSE_MAX_AGE_SECONDS * 1000,
    retryMs: e.SSE_RETRY_MS,
  };
}

/** Who holds a stream: the API key if the request has one, else the client address. */
function clientOf(req: Request): string {
  return req.principal ? `key:${req.principal.keyId}` : `ip:${req.ip ?? 'unknown'}`;
}

/**
 * The one gate of every live stream of a service (payment's donation and office streams, the
 * ledger's campaign stream): caps per client and in total, checked before the stream starts
 * (past a cap: 429 or 503 problem+json with Retry-After), a maximum age after which the server
 * closes the stream, `retry:` and an `id:` on every event so the browser resumes with
 * Last-Event-ID. What resuming means is up to each stream (it sends the current state).
 */
export class SseLimiter {
  private readonly perClient = new Map<string, number>();
  private open = 0;

  constructor(readonly limits: SseLimits = DEFAULT_SSE_LIMITS) {}

  /** Streams open now (all clients). */
  get size(): number {
    return this.open;
  }

  /** Opens the stream, or answers the refusal and returns null. */
  openSse(req: Request, res: Response): SseStream | null {
    const client = clientOf(req);
    const held = this.perClient.get(client) ?? 0;
    // A cap is not a blip: ask the client to come back in half a minute, not at `retry`.
    const retryAfter = '30';
    if (held >= this.limits.perClient) {
      res.set('retry-after', retryAfter);
      sendProblem(
        res,
        new HttpProblem(
          429,
          'Too many requests',
          `You already have ${held} live streams open (the limit is ${this.limits.perClient}); close one, or try again later.`,
        ),
        req.originalUrl,
      );
      return null;
    }
    if (this.open >= this.limits.total) {
      res.set('retry-after', retryAfter);
      sendProblem(
        res,
        new HttpProblem(
          503,
          'Service unavailable',
          'Too many live streams are open on this server right now; please try again in a little while.',
        ),
        req.originalUrl,
      );
      return null;
    }
    this.perClient.set(client, held + 1);
    this.open += 1;
    return this.start(req, res, () => {
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left <= 0) this.perClient.delete(client);
      else this.perClient.set(client, left);
      this.open -= 1;
    });
  }

  private start(req: Request, res: Response, release: () => void): SseStream {
    res.status(200).set({
      'content-type': 'text/event-stream',
      // no-store: some streams are staff data; no-transform: proxies must not buffer it.
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: ${this.limits.retryMs}\n\n`);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), this.limits.keepAliveMs);
    // Past its maximum age the stream ends; the browser comes back after `retry` with
    // Last-Event-ID, which frees what a forgotten tab would otherwise hold for ever.
    const maxAge = setTimeout(() => res.end(), this.limits.maxAgeMs);
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        clearInterval(keepAlive);
        clearTimeout(maxAge);
        release();
        resolve();
      }),
    );
    const lastEventId = req.get('last-event-id');
    return {
      send(event, data, id) {
        if (res.writableEnded) return;
        const safeId = id?.replace(/[\r\n]/g, '');
        res.write(
          `${safeId ? `id: ${safeId}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
        );
      },
      lastEventId: lastEventId && lastEventId.length <= 200 ? lastEventId : undefined,
      closed,
    };
  }
}

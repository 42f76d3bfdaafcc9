import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { RequestHandler, Response } from 'express';
import { Counter, Gauge, register } from 'prom-client';
import { z } from 'zod';
import { HttpProblem, sendProblem } from './problem';

/**
 * Load shedding: past capacity a route group refuses new work with 503 + Retry-After before
 * its handler runs — before any database write or provider call — instead of letting requests
 * queue for a pool connection until they fail half done (issue #14: at 2× capacity payment
 * answered 500 after it had already called Stripe, and the retries multiplied the load).
 */
export interface ShedOptions {
  /** The route group, e.g. 'payment-checkout' (the metric's `group` label). */
  name: string;
  /** Requests of the group handled at once; the next one is refused until one finishes. */
  maxInFlight: number;
  /** Sent as Retry-After and in the problem's text. */
  retryAfterSeconds: number;
  /**
   * Also refuse while the event loop lags more than this (p99 over the last sample, ms): the
   * process is CPU-bound and every admitted request makes all answers slower. 0 or unset: off.
   */
  maxEventLoopDelayMs?: number;
  /** What the person is told (the default says nothing was done and when to try again). */
  detail?: string;
}

export interface LoadShedder extends RequestHandler {
  readonly group: string;
  /** Requests of the group being handled now. */
  readonly inFlight: number;
}

/** The SHED_* variables a service with shed route groups reads (spread into its env schema). */
export const SHED_ENV = {
  SHED_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  SHED_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
};

const shed =
  (register.getSingleMetric('http_requests_shed_total') as Counter<string> | undefined) ??
  new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests refused with 503 before any work because their route group was at capacity',
    labelNames: ['group', 'reason'],
  });

/** Every shedder of a group (several service instances can share a process: tests, embedded). */
const groups = new Map<string, Set<() => number>>();
if (!register.getSingleMetric('http_requests_in_flight')) {
  new Gauge({
    name: 'http_requests_in_flight',
    help: 'Requests of a shed route group being handled now',
    labelNames: ['group'],
    collect() {
      for (const [group, counts] of groups)
        this.set(
          { group },
          [...counts].reduce((sum, count) => sum + count(), 0),
        );
    },
  });
}

/** Sends 503 problem+json for a shed request; the shedder answers through this alone. */
function refuse(res: Response, url: string, options: ShedOptions): void {
  const seconds = options.retryAfterSeconds;
  const detail =
    options.detail ??
    `We are receiving more requests than we can handle right now. Nothing was done with this one; please try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  sendProblem(
    res,
    new HttpProblem(
      503,
      'Service unavailable',
      detail,
      { code: 'overloaded' },
      {
        'retry-after': String(seconds),
      },
    ),
    url,
  );
}

/**
 * Express middleware bounding the in-flight requests of one route group. Put it first in a
 * route's `before` list (before rate limits, so a refused request uses up no budget). A slot is
 * held until the answer is written — also when the client went away meanwhile, since the
 * handler's work (a provider call) goes on until it answers.
 */
export function shedLoad(options: ShedOptions): LoadShedder {
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1)
    throw new Error(`shedLoad(${options.name}): maxInFlight must be a positive integer`);
  const lag = options.maxEventLoopDelayMs ? eventLoopLag() : null;
  let inFlight = 0;
  const middleware: RequestHandler = (req, res, next) => {
    const reason =
      inFlight >= options.maxInFlight
        ? 'in-flight'
        : lag && lag() > options.maxEventLoopDelayMs!
          ? 'event-loop'
          : null;
    if (reason) {
      shed.inc({ group: options.name, reason });
      refuse(res, req.originalUrl, options);
      return;
    }
    inFlight += 1;
    holdUntilAnswered(res, () => (inFlight -= 1));
    next();
  };
  const counts = groups.get(options.name) ?? new Set();
  counts.add(() => inFlight);
  groups.set(options.name, counts);
  // defineProperties, not Object.assign: assign would copy the getter's value once.
  return Object.defineProperties(middleware, {
    group: { value: options.name },
    inFlight: { get: () => inFlight },
  }) as LoadShedder;
}

/**
 * Calls `release` once, when the answer has been written ('finish'). A client that hangs up
 * first ('close' before 'finish') does not free the slot: the handler still runs, so the slot
 * is freed when it writes its answer (res.end), written or not.
 */
function holdUntilAnswered(res: Response, release: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    release();
  };
  res.once('finish', once);
  res.once('close', () => {
    if (res.writableEnded) return once();
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      once();
      return end(...args);
    }) as Response['end'];
  });
}

let lagReader: (() => number) | undefined;

/**
 * The event loop's recent p99 delay (ms), one monitor per process, sampled every 500 ms. The
 * timer is unref'd: it never keeps a process alive.
 */
function eventLoopLag(): () => number {
  if (lagReader) return lagReader;
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let recent = 0;
  setInterval(() => {
    recent = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0;
    histogram.reset();
  }, 500).unref();
  lagReader = () => recent;
  return lagReader;
}

import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import { authenticate, type ApiKeyRecord } from './auth';
import { personTokenVerifier, type PersonTokenOptions } from './person-token';
import { notFoundHandler, problemHandler } from './problem';
import { redactHeaders } from './redact';

export type ReadinessCheck = () => Promise<void>;

export interface ServiceAppOptions {
  name: string;
  logger: Logger;
  apiKeys: ApiKeyRecord[];
  /** Accept person tokens signed by the web app (none configured: API keys only). */
  personTokens?: PersonTokenOptions;
  /** Named dependency checks for /readyz (database, broker …); each throws when not ready. */
  readiness: Record<string, ReadinessCheck>;
  /** Mounts the service's own routes. */
  routes: (app: Express) => void;
  /** Largest JSON body accepted (default 100kb). */
  jsonLimit?: string;
  /**
   * Express `trust proxy`: which hops may set X-Forwarded-For. Behind an ingress set it (e.g.
   * "1" or the ingress CIDR) so rate limits count each client, not the ingress. Default: loopback.
   */
  trustProxy?: string;
}

let defaultMetricsStarted = false;

const httpDuration =
  (register.getSingleMetric('http_request_duration_seconds') as Histogram<string>) ??
  new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by service, method, route and status',
    labelNames: ['service', 'method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

/**
 * The skeleton every service shares: security headers, request ids in logs and responses,
 * JSON bodies (the raw bytes kept for webhook signatures), API-key principals, health,
 * readiness, Prometheus metrics, problem+json for every error.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics();
    defaultMetricsStarted = true;
  }
  const app = express();
  app.disable('x-powered-by');
  app.set(
    'trust proxy',
    parseTrustProxy(options.trustProxy ?? process.env.TRUST_PROXY ?? 'loopback'),
  );
  app.use(helmet());
  app.use(requestLog(options.logger));
  app.use(requestTimer(options.name));
  app.use(
    express.json({
      limit: options.jsonLimit ?? '100kb',
      // Webhook signatures are computed over the exact bytes received, not the parsed JSON.
      verify: (req, _res, buf) => {
        (req as express.Request).rawBody = Buffer.from(buf);
      },
    }),
  );
  app.use(
    authenticate(
      options.apiKeys,
      options.personTokens && personTokenVerifier(options.personTokens),
    ),
  );
  mountProbes(app, options.name, options.readiness);
  options.routes(app);
  app.use(notFoundHandler);
  app.use(problemHandler(options.logger));
  return app;
}

/** One log line per request (not for the probes), under the request id it answers with. */
function requestLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader('x-request-id', id);
      return id;
    },
    // Secret headers (API keys, cookies, donor secret, webhook signatures) and secret query
    // parameters never reach the request log, whatever logger the service was given.
    serializers: {
      req: (req: SerializedReq) => ({
        ...req,
        // The path only: a donor's link carries a secret in `?s=`, and queries can be long.
        url: loggedPath(req.url),
        query: undefined,
        headers: boundHeaders(redactHeaders(req.headers)),
      }),
      res: (res: { headers?: Record<string, unknown> }) => ({
        ...res,
        headers: redactHeaders(res.headers),
      }),
    },
    // 503 is the service refusing work it cannot take now (shed, database busy): expected under
    // overload, so a warning; an error line is for what someone must fix.
    customLogLevel: (_req, res, err) => {
      if (!err && res.statusCode === 503) return 'warn';
      return err || res.statusCode >= 500 ? 'error' : 'info';
    },
    autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
  });
}

/** http_request_duration_seconds by route pattern (not the raw path: ids would explode it). */
function requestTimer(service: string): express.RequestHandler {
  return (req, res, next) => {
    const end = httpDuration.startTimer({ service, method: req.method });
    res.on('finish', () =>
      end({ route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }),
    );
    next();
  };
}

/** /healthz (the process answers), /readyz (every dependency check passes) and /metrics. */
function mountProbes(
  app: Express,
  service: string,
  readiness: Record<string, ReadinessCheck>,
): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const ready = results.every(([, r]) => r === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(register.contentType).send(await register.metrics());
  });
}

/**
 * Path segments that are credentials (a monthly gift's manage link: /subscriptions/manage/<token>
 * at payment, /monthly/<token> on the donor pages) are replaced in the request log, so a leaked
 * log never lets anyone manage someone's gift.
 */
const SECRET_PATH = /(\/subscriptions\/manage\/|\/monthly\/)[^/?#]+/;

export function loggedPath(url: string | undefined): string | undefined {
  return url?.split('?')[0]?.replace(SECRET_PATH, '$1[token]');
}

interface SerializedReq {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

/**
 * A client's X-Request-Id is kept only when it is a short safe token (it goes into every log
 * line and back to the client); anything else — 4 KB of text, newlines, quotes — gets a new id.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

/** The client's X-Request-Id is logged as req.id (bounded); other header values are cut at 256. */
function boundHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'x-request-id') continue;
    out[name] = typeof value === 'string' && value.length > 256 ? `${value.slice(0, 256)}…` : value;
  }
  return out;
}

/** "2" → 2 hops; "true"/"false"; anything else is a list of names/CIDRs express understands. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

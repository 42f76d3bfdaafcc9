import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * An RFC 9457 problem: the one error shape of every service. `detail` is written for a
 * person (the donor, office staff or finance user reading it), never a stack trace.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to the problem, e.g. Retry-After on a 409 "in progress". */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) =>
  new HttpProblem(400, 'Bad request', detail, extra);
export const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);
export const notFound = (detail: string) => new HttpProblem(404, 'Not found', detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) =>
  new HttpProblem(409, 'Conflict', detail, extra);
export const unprocessable = (detail: string, extra?: Record<string, unknown>) =>
  new HttpProblem(422, 'Unprocessable content', detail, extra);
export const badGateway = (detail: string) => new HttpProblem(502, 'Bad gateway', detail);

export function fieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Sends a problem+json response. */
export function sendProblem(
  res: Parameters<RequestHandler>[1],
  problem: HttpProblem,
  instance?: string,
): void {
  res
    .status(problem.status)
    .set(problem.headers)
    .type('application/problem+json')
    .json({
      type: `https://bullyingfreeinternet.example/problems/${slug(problem.title)}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance,
      requestId: res.getHeader('x-request-id'),
      ...problem.extra,
    });
}

/** Last middleware: turns anything thrown into problem+json; unexpected errors are logged, not leaked. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.status === 503 && !(err instanceof HttpProblem))
      // Expected under overload or while the database restarts: one line, not a bug report.
      logger.warn({ reqId: req.id, err: String(err) }, 'database unavailable; answered 503');
    else if (problem.status >= 500) logger.error({ err, reqId: req.id }, 'request failed');
    else if (!(err instanceof HttpProblem) && databaseProblem(err))
      logger.warn({ err, reqId: req.id }, 'the database refused a value of the request');
    sendProblem(res, problem, req.originalUrl);
  };
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, notFound(`There is no ${req.method} ${req.path} here.`), req.originalUrl);

/**
 * Database refusals that are the request's fault, mapped once for every route: a unique
 * violation (two admins creating the same office at once) is a conflict; a data exception
 * (SQLSTATE class 22: bad encoding, out of range, invalid uuid …) is bad input. Prisma wraps
 * the PostgreSQL code in different places depending on the call, so all of them are read.
 */
export function databaseProblem(err: unknown): HttpProblem | null {
  const e = err as DbError | null;
  if (!e || typeof e !== 'object') return null;
  const adapter = e.meta?.driverAdapterError?.cause ?? e.cause;
  const sqlState = [adapter?.originalCode, e.meta?.code, adapter?.code, e.code].find(
    (c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c),
  );
  if (databaseUnavailable(e, adapter, sqlState)) return databaseBusy();
  if (e.code === 'P2002' || sqlState === '23505' || adapter?.kind === 'UniqueConstraintViolation')
    return conflict('This already exists (someone else may have just created it).');
  if (
    (typeof e.code === 'string' && ['P2000', 'P2006', 'P2007', 'P2023'].includes(e.code)) ||
    sqlState?.startsWith('22')
  )
    return badRequest('A value in this request cannot be stored (wrong format or out of range).');
  return null;
}

interface DbError {
  code?: unknown;
  message?: unknown;
  meta?: {
    code?: unknown;
    driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; kind?: unknown } };
  };
  cause?: { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown };
}

/** Seconds a client is asked to wait when the database is out of reach or its pool is full. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export const databaseBusy = () =>
  new HttpProblem(
    503,
    'Service unavailable',
    `Our database is busy or out of reach right now. Please try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
    { code: 'database-unavailable' },
    { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
  );

// Prisma's codes for "no connection" (P1001 unreachable, P1002 timed out, P1008 operation timed
// out, P1017 server closed the connection, P2024 pool timeout, P2028 transaction could not start
// in time or expired: nothing of it was committed).
const UNAVAILABLE_CODES = ['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028'];
// @prisma/adapter-pg's kinds for a socket that failed and for PostgreSQL's connection limit.
const UNAVAILABLE_KINDS = [
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
];
// pg's own errors, which the adapter passes through unconverted: the pool's wait for a free
// connection (connectionTimeoutMillis) and a connection that dropped.
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
];

/**
 * A database that cannot take the request now (out of reach, restarting, every pool connection
 * busy) is the server's temporary state, not a bug: 503 + Retry-After, so clients (and Stripe)
 * retry instead of treating it as a failure. SQLSTATE 08 is a connection exception, 53300 too
 * many connections, 57P01–57P03 a server shutting down or starting.
 */
function databaseUnavailable(
  e: DbError,
  adapter: { kind?: unknown } | undefined,
  sqlState: string | undefined,
): boolean {
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.includes(e.code)) return true;
  if (typeof adapter?.kind === 'string' && UNAVAILABLE_KINDS.includes(adapter.kind)) return true;
  if (
    sqlState &&
    (sqlState.startsWith('08') || ['53300', '57P01', '57P02', '57P03'].includes(sqlState))
  )
    return true;
  const messages = [e.message, e.cause?.message];
  return messages.some((m) => typeof m === 'string' && UNAVAILABLE_MESSAGES.includes(m));
}

function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const fromDb = databaseProblem(err);
  if (fromDb) return fromDb;
  if (err instanceof ZodError) {
    const errors = fieldErrors(err);
    return badRequest(errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
  }
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return badRequest('The request body is not valid JSON.');
  if (e?.type === 'entity.too.large')
    return new HttpProblem(413, 'Content too large', 'The request body is too large.');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new HttpProblem(e.status, 'Bad request', 'The request could not be read.');
  }
  return new HttpProblem(
    500,
    'Internal error',
    'Something went wrong on our side. Nothing was charged twice; please try again.',
  );
}

function slug(text: string) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

import type { Express, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { principalOf, requireRole, type Role } from './auth';
import { HttpProblem } from './problem';
import { parseInput } from './validate';

/**
 * One definition per endpoint: the route table mounts it on express AND emits its OpenAPI
 * operation, so the document cannot drift from the code. Validation happens here, before the
 * handler runs; the handler gets parsed values only.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call: anyone, anyone with a key or person token (office checks in the handler), or roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

/** A JSON answer: the handler returns the body (or `reply(body, …)` for another status/headers). */
export interface JsonResponse {
  status: 200 | 201 | 202;
  /** Alternative 2xx statuses the handler may choose with `reply` (e.g. 200 on an idempotent replay). */
  also?: Partial<Record<200 | 201 | 202, string>>;
  description: string;
  schema: z.ZodType;
}

/** The handler writes the answer itself (files, SSE, redirects, 204): documented by content type. */
export interface RawResponse {
  status: 200 | 201 | 202 | 204 | 302 | 303;
  description: string;
  raw: true;
  /** e.g. 'application/pdf', 'text/csv', 'text/event-stream', 'image/png'; none for 204/redirects. */
  contentType?: string;
  /** JSON Schema of the body when it is structured (e.g. one SSE event's data). */
  schema?: z.ZodType;
}

export type RouteResponse = JsonResponse | RawResponse;

export interface RouteInput<P, Q, B, H> {
  params: P;
  query: Q;
  body: B;
  headers: H;
  req: Request;
  res: Response;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
> {
  operationId: string;
  method: Method;
  /** express syntax: '/donations/:id' */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  access: Access;
  /** Extra middleware before validation (rate limits, …). */
  before?: RequestHandler[];
  /** An object schema; each key is a path parameter. */
  params?: P;
  query?: Q;
  /** Request headers the operation reads (an object schema, lower-case keys). */
  headers?: H;
  body?: B;
  /** 'json' (default) or 'raw' for a body read from req.rawBody (webhooks). */
  bodyKind?: 'json' | 'raw';
  /** The body's documented shape when bodyKind is 'raw' (validated by the handler). */
  rawBodySchema?: z.ZodType;
  response: RouteResponse;
  /** Problem statuses the operation can answer with, and what each means here. */
  problems?: Partial<Record<number, string>>;
  handle(input: RouteInput<Out<P>, Out<Q>, Out<B>, Out<H>>): Promise<unknown> | unknown;
}

/** A route with its input types erased, for tables. */
export type Route = RouteSpec<
  z.ZodType | undefined,
  z.ZodType | undefined,
  z.ZodType | undefined,
  z.ZodType | undefined
>;

/** Identity with inference: `defineRoute({...})` keeps params/body types for the handler. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B, H>): Route {
  return spec as unknown as Route;
}

const REPLY = Symbol('reply');

export interface Reply {
  [REPLY]: true;
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

/** A JSON answer with another documented status (`also`) or extra headers (Location …). */
export function reply(
  body: unknown,
  options: { status?: number; headers?: Record<string, string> } = {},
): Reply {
  return { [REPLY]: true, body, ...options };
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && REPLY in value;
}

export interface MountOptions {
  /**
   * Check every JSON answer against its documented schema and fail loudly (500) when it does
   * not match: on in development and tests, so the OpenAPI document is proven by the suite.
   */
  checkResponses?: boolean;
}

function accessMiddleware(access: Access): RequestHandler[] {
  if (access === 'public') return [];
  if (access === 'signed-in')
    return [
      (req, _res, next) => {
        principalOf(req);
        next();
      },
    ];
  return [requireRole(...access)];
}

function headerObject(req: Request): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
}

function parseParts(route: Route, req: Request) {
  const parse = (schema: z.ZodType | undefined, value: unknown, where: string) =>
    schema ? parseInput(schema, value, where) : undefined;
  return {
    params: parse(route.params, req.params, 'path'),
    query: parse(route.query, req.query, 'query'),
    headers: parse(route.headers, headerObject(req), 'headers'),
    body: route.bodyKind === 'raw' ? undefined : parse(route.body, req.body ?? {}, 'body'),
  };
}

function sendJson(route: Route, res: Response, value: unknown, check: boolean): void {
  const response = route.response as JsonResponse;
  const { body, status, headers } = isReply(value)
    ? value
    : { body: value, status: undefined, headers: undefined };
  if (check) {
    const result = response.schema.safeParse(body);
    if (!result.success)
      throw new HttpProblem(
        500,
        'Undocumented response',
        `${route.operationId} answered outside its documented schema: ${result.error.message}`,
      );
  }
  if (headers) res.set(headers);
  res.status(status ?? response.status).json(body);
}

/** Mounts every route of the table on `app`, in order. */
export function mountRouteTable(app: Express, routes: Route[], options: MountOptions = {}): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req, res) => {
      const parts = parseParts(route, req);
      const value = await route.handle({ ...parts, req, res });
      if ('raw' in route.response) return;
      sendJson(route, res, value, options.checkResponses ?? false);
    };
    app[route.method](
      route.path,
      ...(route.before ?? []),
      ...accessMiddleware(route.access),
      handler,
    );
  }
}

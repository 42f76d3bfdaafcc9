import { z } from 'zod';
import type { Route } from './route-table';

/** The OpenAPI 3.1 document of a route table: one operation per route, nothing hand-assembled. */

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

type Json = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;

/** Without the JSON Schema dialect marker, which OpenAPI 3.1 documents do not repeat per schema. */
function plain(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = schemaOf(schema, io);
  return rest;
}

/** '/donations/:id' → '/donations/{id}' */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {};
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) throw new Error('params, query and headers must be zod objects');
  return shape;
}

function parameters(route: Route): Json[] {
  const list: Json[] = [];
  const add = (where: 'path' | 'query' | 'header', schema: z.ZodType | undefined) => {
    for (const [name, field] of Object.entries(objectShape(schema))) {
      const json = plain(field, 'input');
      const { description, ...fieldSchema } = json;
      list.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        ...(typeof description === 'string' ? { description } : {}),
        schema: fieldSchema,
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  add('header', route.headers);
  return list;
}

function requestBody(route: Route): Json | undefined {
  const schema = route.bodyKind === 'raw' ? route.rawBodySchema : route.body;
  if (!schema) return undefined;
  return {
    required: !schema.safeParse(undefined).success,
    content: { 'application/json': { schema: plain(schema, 'input') } },
  };
}

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

function responses(route: Route): Json {
  const r = route.response;
  const out: Json = {};
  if ('raw' in r) {
    const content = r.contentType
      ? { [r.contentType]: { schema: r.schema ? plain(r.schema, 'output') : {} } }
      : undefined;
    out[String(r.status)] = { description: r.description, ...(content ? { content } : {}) };
  } else {
    const content = { 'application/json': { schema: plain(r.schema, 'output') } };
    out[String(r.status)] = { description: r.description, content };
    for (const [status, description] of Object.entries(r.also ?? {}))
      out[status] = { description, content };
  }
  const problems: Partial<Record<number, string>> = {
    ...(route.access === 'public'
      ? {}
      : { 401: 'No valid API key or person token', 403: 'Not allowed for this role or office' }),
    ...(route.params || route.query || route.body || route.headers
      ? { 400: 'The input is not valid; `errors` lists each field' }
      : {}),
    ...route.problems,
  };
  for (const [status, description] of Object.entries(problems))
    out[status] = { description, content: problemContent };
  return out;
}

function operation(route: Route): Json {
  const params = parameters(route);
  const body = requestBody(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tags ? { tags: route.tags } : {}),
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route),
  };
}

/** RFC 9457 problem details, the one error shape of every service. */
const ProblemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'Written for the person who reads it' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    code: { type: 'string', description: 'A stable machine-readable reason, where there is one' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

export function openApiDocument(
  info: OpenApiInfo,
  routes: Route[],
  extra: { tags?: { name: string; description: string }[] } = {},
): Json {
  const paths: Record<string, Json> = {};
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.operationId)) throw new Error(`duplicate operationId ${route.operationId}`);
    seen.add(route.operationId);
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'UNLICENSED', identifier: 'LicenseRef-Proprietary' } },
    servers: [{ url: '/' }],
    ...(extra.tags ? { tags: extra.tags } : {}),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key, or a person token the web app signs for a signed-in person (roles: admin, finance, office-staff)',
        },
      },
      schemas: { Problem: ProblemSchema },
    },
  };
}

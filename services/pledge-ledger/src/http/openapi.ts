import { z } from 'zod';
import { CreateFundBody, JournalQuery, PayoutBody, TotalsQuery } from './schemas';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function queryParams(schema: z.ZodObject) {
  const doc = json(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: doc.required?.includes(name) ?? false,
    schema: s,
  }));
}

const problem = {
  description: 'problem+json',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const finance = [{ apiKey: [] }];
const ok = (description: string) => ({ description, content: { 'application/json': {} } });

let cached: object | undefined;

/** OpenAPI 3.1 document; request schemas come from the same zod schemas that validate. */
export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: '#BullyingFreeInternet pledge-ledger',
      version: '1.0.0',
      description:
        'Double-entry ledger of the donation campaign: funds, fund totals, journal, audit of the hash chain, public campaign totals. Amounts are integer minor units.',
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key with the finance (or admin) role',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
          },
        },
        CreateFund: json(CreateFundBody),
        Payout: json(PayoutBody),
      },
    },
    paths: {
      '/funds': {
        get: {
          summary: 'List funds',
          security: finance,
          responses: { 200: ok('Funds'), 401: problem, 403: problem },
        },
        post: {
          summary: 'Create a fund',
          security: finance,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/CreateFund' } },
            },
          },
          responses: { 201: ok('Created'), 400: problem, 409: problem },
        },
      },
      '/funds/{fund}/totals': {
        get: {
          summary:
            'Fund totals: gross, fees, refunds, disputes held, net, count (per currency and group)',
          security: finance,
          parameters: [
            { name: 'fund', in: 'path', required: true, schema: { type: 'string' } },
            ...queryParams(TotalsQuery),
          ],
          responses: { 200: ok('Totals'), 400: problem, 404: problem },
        },
      },
      '/journal': {
        get: {
          summary:
            'Journal entries with their lines, in chain order (keyset pagination: pass nextCursor as cursor)',
          security: finance,
          parameters: queryParams(JournalQuery),
          responses: { 200: ok('A page of entries'), 400: problem },
        },
      },
      '/audit/verify': {
        get: {
          summary: 'Walk the hash chain and report the first break',
          security: finance,
          responses: { 200: ok('Audit report') },
        },
      },
      '/parked': {
        get: {
          summary: 'Events waiting for the event they depend on (e.g. refund before payment)',
          security: finance,
          responses: { 200: ok('Parked events') },
        },
      },
      '/payouts': {
        post: {
          summary: 'Post a provider payout to the bank (Dr bank / Cr clearing)',
          security: finance,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Payout' } } },
          },
          responses: { 201: ok('Posted'), 400: problem, 409: problem },
        },
      },
      '/campaign/totals': {
        get: {
          summary: 'Public: raised per currency and donors count',
          responses: { 200: ok('Campaign totals'), 429: problem },
        },
      },
      '/campaign/totals/stream': {
        get: {
          summary: 'Public: server-sent events ("totals") whenever the campaign totals change',
          responses: {
            200: { description: 'text/event-stream', content: { 'text/event-stream': {} } },
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: ok('ok') } } },
      '/readyz': {
        get: {
          summary: 'Readiness (database, consumer)',
          responses: { 200: ok('ready'), 503: ok('not ready') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics, incl. messaging_consumer_lag',
          responses: { 200: { description: 'text/plain' } },
        },
      },
    },
  };
  return cached;
}

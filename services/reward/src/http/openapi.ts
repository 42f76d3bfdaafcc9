// OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { AdjustmentBody, CountBody, DeliveryBody, RedeemBody, RuleBody } from './schemas';

type Access = 'public' | 'office-staff' | 'admin' | 'finance';

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType;
  responses: Record<string, string>;
  produces?: string;
}

const problems = {
  400: 'Invalid input (fields listed)',
  401: 'API key missing or invalid',
  403: 'Wrong role or another office',
};

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/offices/{officeId}/pending-handouts',
    summary: 'Rewards ready to hand out and donors waiting for stock',
    access: 'office-staff',
    responses: { 200: 'Lists (claim codes masked)' },
  },
  {
    method: 'post',
    path: '/offices/{officeId}/redemptions',
    summary: 'Redeem a claim code: hand out one pack',
    access: 'office-staff',
    body: RedeemBody,
    responses: {
      200: 'Handed out',
      404: 'Unknown code',
      409: 'Already used, revoked, or waiting for stock',
      410: 'Code expired',
      422: 'Digital pack code',
    },
  },
  {
    method: 'get',
    path: '/offices/{officeId}/handouts',
    summary: 'Hand-out history, newest first',
    access: 'office-staff',
    responses: { 200: 'History' },
  },
  {
    method: 'get',
    path: '/offices/{officeId}/stock',
    summary: 'Stock counters, ledger totals and recent movements',
    access: 'office-staff',
    responses: { 200: 'Stock' },
  },
  {
    method: 'get',
    path: '/offices/{officeId}/stock/movements',
    summary: 'Stock ledger (append-only), newest first',
    access: 'office-staff',
    responses: { 200: 'Movements' },
  },
  {
    method: 'post',
    path: '/offices/{officeId}/stock/deliveries',
    summary: 'Receive a delivery; serves the waiting list oldest first',
    access: 'office-staff',
    body: DeliveryBody,
    responses: { 201: 'Recorded' },
  },
  {
    method: 'post',
    path: '/offices/{officeId}/stock/counts',
    summary: 'Record a physical count; the difference becomes a count movement',
    access: 'office-staff',
    body: CountBody,
    responses: { 201: 'Recorded', 422: 'Fewer counted than reserved' },
  },
  {
    method: 'post',
    path: '/offices/{officeId}/stock/adjustments',
    summary: 'Adjust stock with a reason',
    access: 'office-staff',
    body: AdjustmentBody,
    responses: { 201: 'Recorded', 409: 'Would go below zero' },
  },
  {
    method: 'get',
    path: '/offices/{officeId}/rewards/by-donation/{donationId}',
    summary: 'What a donation at this office unlocked (code masked), for the counter screen',
    access: 'office-staff',
    responses: { 200: 'Decision and reward', 404: 'Not decided yet, or not this office' },
  },
  {
    method: 'get',
    path: '/offices/{officeId}/claim-codes/{code}',
    summary: 'What a claim code stands for before handing out; refused as a redemption would be',
    access: 'office-staff',
    responses: {
      200: 'What to hand over',
      404: 'Unknown code',
      409: 'Already used, revoked, or waiting for stock',
      410: 'Code expired',
      422: 'Digital pack code',
    },
  },
  {
    method: 'get',
    path: '/offices/{officeId}/events',
    summary: 'Server-sent events: the office’s stock and rewards whenever they change',
    access: 'office-staff',
    produces: 'text/event-stream',
    responses: { 200: '`office` events: counters, waiting list, low-stock flag' },
  },
  {
    method: 'get',
    path: '/rewards/by-donation/{donationId}',
    summary: 'What the thank-you page shows',
    access: 'public',
    responses: { 200: 'Reward or "none"', 404: 'Not decided yet' },
  },
  {
    method: 'get',
    path: '/rewards/by-donation/{donationId}/claim-qr.png',
    summary: 'Claim code as QR (PNG)',
    access: 'public',
    produces: 'image/png',
    responses: { 200: 'PNG', 404: 'No claim code', 410: 'No longer usable' },
  },
  {
    method: 'get',
    path: '/rewards/by-donation/{donationId}/claim-qr.svg',
    summary: 'Claim code as QR (SVG)',
    access: 'public',
    produces: 'image/svg+xml',
    responses: { 200: 'SVG', 404: 'No claim code', 410: 'No longer usable' },
  },
  {
    method: 'post',
    path: '/digital-packs/{code}/claim',
    summary: 'Open a digital sticker pack (once)',
    access: 'public',
    responses: { 200: 'Download link', 404: 'Unknown code', 409: 'Already opened or revoked' },
  },
  {
    method: 'get',
    path: '/admin/rules',
    summary: 'List reward rules',
    access: 'admin',
    responses: { 200: 'Rules' },
  },
  {
    method: 'post',
    path: '/admin/rules',
    summary: 'Create a reward rule',
    access: 'admin',
    body: RuleBody,
    responses: { 201: 'Created', 422: 'Inconsistent rule' },
  },
  {
    method: 'get',
    path: '/admin/rules/{ruleId}',
    summary: 'One rule',
    access: 'admin',
    responses: { 200: 'Rule', 404: 'Unknown rule' },
  },
  {
    method: 'put',
    path: '/admin/rules/{ruleId}',
    summary: 'Replace a rule (applies to donations posted from now on)',
    access: 'admin',
    body: RuleBody,
    responses: { 200: 'Saved', 404: 'Unknown rule', 422: 'Inconsistent rule' },
  },
  {
    method: 'delete',
    path: '/admin/rules/{ruleId}',
    summary: 'Delete an unused rule',
    access: 'admin',
    responses: { 204: 'Deleted', 409: 'Rule has decisions; end it instead' },
  },
  {
    method: 'get',
    path: '/admin/stock',
    summary: 'Stock overview of every office',
    access: 'admin',
    responses: { 200: 'Overview' },
  },
  {
    method: 'get',
    path: '/finance/flagged-rewards',
    summary: 'Rewards revoked after hand-out (for finance)',
    access: 'finance',
    responses: { 200: 'Flagged rewards' },
  },
];

function parametersOf(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function operationOf(op: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(op.responses)) {
    const media = status.startsWith('2')
      ? (op.produces ?? 'application/json')
      : 'application/problem+json';
    responses[status] =
      status === '204' ? { description } : { description, content: { [media]: {} } };
  }
  const errors =
    op.access === 'public' ? { 400: problems[400], 429: 'Too many requests' } : problems;
  for (const [status, description] of Object.entries(errors)) {
    responses[status] ??= { description, content: { 'application/problem+json': {} } };
  }
  return {
    summary: op.summary,
    tags: [op.access],
    security: op.access === 'public' ? [] : [{ apiKey: [] }],
    ...(op.access === 'public'
      ? {}
      : { description: `Role: ${op.access}${op.access === 'admin' ? '' : ' (or admin)'}.` }),
    parameters: parametersOf(op.path),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationOf(op);
  return {
    openapi: '3.1.0',
    info: {
      title: '#BullyingFreeInternet reward service',
      version: '1.0.0',
      description:
        'Sticker-pack rewards: rules, office stock, claim codes with QR, hand-out and revocation. Errors are RFC 9457 problem+json.',
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key (Authorization: Bearer <key>)',
        },
      },
    },
    paths: {
      ...paths,
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness (database, broker)',
          responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { 200: { description: 'text exposition' } },
        },
      },
    },
  };
}

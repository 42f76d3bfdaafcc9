import { z } from 'zod';
import type { PaymentConfig } from '../config';
import {
  createDonationSchema,
  intentSchema,
  OfficeSchema,
  PointSchema,
  refundSchema,
} from './schemas';
import { receiptMailPaths } from './receipt-mail-routes';
import { feeRouteOpenApi } from './fee-routes';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});
const problem = {
  description: 'Problem (RFC 9457)',
  content: { 'application/problem+json': { schema: { type: 'object' } } },
};
const ok = (description: string) => ({ description });
const idParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
});
const secured = [{ apiKey: [] }];

/** The OpenAPI 3.1 document served at GET /openapi.json; request schemas come from the zod ones. */
export function buildOpenApi(config: PaymentConfig): Record<string, unknown> {
  const max = config.maxDonationMinor;
  const fees = feeRouteOpenApi(config);
  return {
    openapi: '3.1.0',
    info: {
      title: '#BullyingFreeInternet payment service',
      version: '0.1.0',
      description:
        'Donations through Stripe Checkout and PayPal Orders v2, signed webhooks, donation points with QR codes, refunds. Amounts are integer minor units.',
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'API key (roles: admin, finance, office-staff)',
        },
      },
      schemas: fees.schemas,
    },
    paths: {
      '/donations': {
        post: {
          summary: 'Create a donation and get the provider checkout URL',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 8 },
            },
          ],
          requestBody: {
            required: true,
            content: json(createDonationSchema(max, config.defaultFund)),
          },
          responses: {
            201: ok('Created; redirectUrl is where to send the donor'),
            200: ok('Replay of the same Idempotency-Key and body'),
            400: problem,
            409: {
              ...problem,
              description:
                'Same key, other body; or code in-progress (with Retry-After): an earlier request with this key is still at the provider',
            },
            422: {
              ...problem,
              description:
                'Not accepted, nothing charged: code fund-unknown / fund-closed, currency-not-supported-by-provider, or the provider refused',
            },
            502: problem,
          },
        },
      },
      '/donations/{id}': {
        get: {
          summary:
            'Donation status: pending, succeeded, failed, expired (the checkout closed unpaid), partially_refunded, refunded',
          parameters: [idParam('id')],
          responses: { 200: ok('The donation'), 404: problem },
        },
      },
      '/donations/{id}/events': {
        get: {
          summary: 'Server-sent events: status changes of one donation',
          parameters: [idParam('id')],
          responses: { 200: ok('text/event-stream') },
        },
      },
      '/donations/{id}/paypal-return': {
        post: {
          summary:
            'The donor is back from PayPal: capture the approved order now (once, also if the webhook does too)',
          parameters: [
            idParam('id'),
            { name: 'X-Donor-Secret', in: 'header', required: true, schema: { type: 'string' } },
          ],
          responses: {
            200: ok('The donation after the capture (pending while PayPal has not approved it)'),
            403: problem,
            404: problem,
            409: problem,
            502: problem,
          },
        },
      },
      '/donations/{id}/refunds': {
        post: {
          summary: 'Full (no amount) or partial refund (finance, admin)',
          security: secured,
          parameters: [
            idParam('id'),
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } },
          ],
          requestBody: { content: json(refundSchema(max)) },
          responses: {
            201: ok('Refunded'),
            401: problem,
            403: problem,
            409: problem,
            422: problem,
          },
        },
      },
      '/webhooks/stripe': {
        post: {
          summary: 'Stripe webhook (Stripe-Signature verified)',
          responses: { 200: ok('Received'), 400: problem, 409: problem },
        },
      },
      '/webhooks/paypal': {
        post: {
          summary: 'PayPal webhook (verified with verify-webhook-signature)',
          responses: { 200: ok('Received'), 400: problem, 409: problem },
        },
      },
      '/offices': {
        post: {
          summary: 'Create an office (admin)',
          security: secured,
          requestBody: { content: json(OfficeSchema) },
          responses: { 201: ok('Created'), 409: problem },
        },
        get: {
          summary: 'List offices (admin, finance)',
          security: secured,
          responses: { 200: ok('Offices') },
        },
      },
      '/offices/{id}/disable': {
        post: {
          summary: 'Disable an office (admin)',
          security: secured,
          parameters: [idParam('id')],
          responses: { 200: ok('Disabled') },
        },
      },
      '/offices/{id}/points': {
        post: {
          summary: 'Add a donation point (admin)',
          security: secured,
          parameters: [idParam('id')],
          requestBody: { content: json(PointSchema) },
          responses: { 201: ok('Created') },
        },
        get: {
          summary: 'Points of an office (admin, its staff)',
          security: secured,
          parameters: [idParam('id')],
          responses: { 200: ok('Points'), 403: problem },
        },
      },
      '/offices/{id}/posters.pdf': {
        get: {
          summary: 'Printable poster sheet (admin, its staff)',
          security: secured,
          parameters: [idParam('id')],
          responses: { 200: ok('application/pdf') },
        },
      },
      '/offices/{id}/donations': {
        get: {
          summary: 'Latest donations of an office (admin, its staff)',
          security: secured,
          parameters: [idParam('id')],
          responses: { 200: ok('Donations') },
        },
      },
      '/offices/{id}/events': {
        get: {
          summary: 'Server-sent events: donation status changes in an office',
          security: secured,
          parameters: [idParam('id')],
          responses: { 200: ok('text/event-stream') },
        },
      },
      '/donation-points/{id}/disable': {
        post: {
          summary: 'Disable a point (admin)',
          security: secured,
          parameters: [idParam('id')],
          responses: { 200: ok('Disabled') },
        },
      },
      '/donation-points/{id}/qr.png': {
        get: {
          summary: 'Poster QR (PNG)',
          parameters: [idParam('id')],
          responses: { 200: ok('image/png'), 404: problem, 410: problem },
        },
      },
      '/donation-points/{id}/qr.svg': {
        get: {
          summary: 'Poster QR (SVG)',
          parameters: [idParam('id')],
          responses: { 200: ok('image/svg+xml'), 404: problem, 410: problem },
        },
      },
      '/donation-points/{id}/intents': {
        post: {
          summary: 'One-time, expiring counter QR for one amount (staff of that office)',
          security: secured,
          parameters: [idParam('id')],
          requestBody: { content: json(intentSchema(max)) },
          responses: { 201: ok('token, url, qrSvg, expiresAt'), 403: problem },
        },
      },
      ...receiptMailPaths(secured, problem),
      ...fees.paths,
      '/donation-points/{id}/intents/{intentId}': {
        get: {
          summary:
            'A counter QR followed by the console: waiting, used (with its donation) or expired (staff of that office)',
          security: secured,
          parameters: [idParam('id'), idParam('intentId')],
          responses: { 200: ok('state, donation, url, qrSvg'), 403: problem, 404: problem },
        },
      },
    },
  };
}

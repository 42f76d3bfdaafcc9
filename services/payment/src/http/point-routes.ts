// Donation points: their poster QR images, what a QR stands for (the donate page asks before
// the donor pays), and the one-time counter QRs the office console makes and follows.
import { assertOffice, defineRoute, reply, type Route } from '@bfi/http';
import { z } from 'zod';
import { intentStatus } from '../app/intents';
import {
  createIntent,
  inspectPointToken,
  posterQr,
  requirePoint,
  setPointDisabled,
} from '../app/points';
import { RATE_LIMITED, type RouteContext } from './context';
import { IntentIdParam, intentSchema, PointIdParam } from './schemas';
import { IntentStatusSchema, IntentViewSchema, PointTokenSchema, PointViewSchema } from './views';

const PointParams = z.object({ id: PointIdParam });
const tags = ['Donation points'];
const qrProblems = { 404: 'No such donation point', 410: 'The point is no longer active' };

export function pointRoutes(ctx: RouteContext): Route[] {
  const { deps, publicLimit } = ctx;
  const qrImage = (format: 'png' | 'svg', contentType: string): Route =>
    defineRoute({
      operationId: format === 'png' ? 'getPosterQrPng' : 'getPosterQrSvg',
      method: 'get',
      path: `/donation-points/:id/qr.${format}`,
      summary: `Poster QR (${format.toUpperCase()})`,
      tags,
      access: 'public',
      before: [publicLimit],
      params: PointParams,
      response: { status: 200, raw: true, contentType, description: 'The QR image' },
      problems: { ...RATE_LIMITED, ...qrProblems },
      handle: async ({ params, res }) => {
        res.type(contentType).send(await posterQr(deps, params.id, format));
      },
    });
  return [
    defineRoute({
      operationId: 'disableDonationPoint',
      method: 'post',
      path: '/donation-points/:id/disable',
      summary: 'Disable a point (admin)',
      tags,
      access: ['admin'],
      params: PointParams,
      response: { status: 200, description: 'Disabled', schema: PointViewSchema },
      problems: { 404: 'No such donation point' },
      handle: ({ params }) => setPointDisabled(deps, params.id, true),
    }),
    qrImage('png', 'image/png'),
    qrImage('svg', 'image/svg+xml'),
    defineRoute({
      operationId: 'inspectPointToken',
      method: 'get',
      path: '/point-tokens/:token',
      summary: 'What a poster or counter QR stands for, before the donor pays',
      tags,
      access: 'public',
      before: [publicLimit],
      params: z.object({ token: z.string().describe('The token in the QR code URL') }),
      response: { status: 200, description: 'Office, point and amount', schema: PointTokenSchema },
      problems: {
        ...RATE_LIMITED,
        400: 'Not a token we issued (code qr-forged, qr-unknown-point …)',
        409: 'The counter QR was already used (code qr-reused)',
        410: 'Expired, or its point is no longer active',
        422: 'The point now belongs to another office',
      },
      handle: async ({ params }) => {
        const view = await inspectPointToken(deps, params.token);
        return reply(view, { headers: { 'cache-control': 'no-store' } });
      },
    }),
    ...intentRoutes(ctx),
  ];
}

/** Counter QRs: made and followed by the staff of the point's office. */
function intentRoutes(ctx: RouteContext): Route[] {
  const { deps } = ctx;
  return [
    defineRoute({
      operationId: 'createCounterIntent',
      method: 'post',
      path: '/donation-points/:id/intents',
      summary: 'One-time, expiring counter QR for one amount (staff of that office)',
      tags,
      access: 'signed-in',
      params: PointParams,
      body: intentSchema(deps.config.maxDonationMinor),
      response: { status: 201, description: 'The counter QR', schema: IntentViewSchema },
      problems: qrProblems,
      handle: async ({ params, body, req }) => {
        const point = await requirePoint(deps, params.id);
        assertOffice(req, point.officeId);
        return createIntent(deps, point, { minor: body.amount, currency: body.currency });
      },
    }),
    defineRoute({
      operationId: 'getCounterIntent',
      method: 'get',
      path: '/donation-points/:id/intents/:intentId',
      summary:
        'A counter QR followed by the console: waiting, used (with its donation) or expired (staff of that office)',
      tags,
      access: 'signed-in',
      params: z.object({ id: PointIdParam, intentId: IntentIdParam }),
      response: { status: 200, description: 'Its state', schema: IntentStatusSchema },
      problems: { 404: 'No such donation point or counter QR' },
      handle: async ({ params, req }) => {
        const point = await requirePoint(deps, params.id);
        assertOffice(req, point.officeId);
        return intentStatus(deps, point.id, params.intentId);
      },
    }),
  ];
}

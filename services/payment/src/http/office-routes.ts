// Offices and their donation points (admin), and what an office's staff see: its points, the
// poster sheet, its latest donations and their live changes.
import { assertOffice, defineRoute, type Route } from '@bfi/http';
import { z } from 'zod';
import { officeDonations, officeDonationsChangedSince } from '../app/office-donations';
import {
  createOffice,
  createPoint,
  listOffices,
  listPoints,
  postersPdf,
  setOfficeDisabled,
} from '../app/points';
import { staffView } from '../app/view';
import type { RouteContext } from './context';
import { donationStream } from './donation-stream';
import { OfficeIdParam, OfficeSchema, PointSchema } from './schemas';
import { DonationViewSchema, OfficeViewSchema, PosterPointSchema } from './views';

const OfficeParams = z.object({ id: OfficeIdParam });
const tags = ['Offices'];
const noOffice = { 404: 'No such office' };

export function officeRoutes(ctx: RouteContext): Route[] {
  const { deps } = ctx;
  return [
    defineRoute({
      operationId: 'createOffice',
      method: 'post',
      path: '/offices',
      summary: 'Create an office (admin)',
      tags,
      access: ['admin'],
      body: OfficeSchema,
      response: { status: 201, description: 'Created', schema: OfficeViewSchema },
      problems: { 409: 'An office with this id exists' },
      handle: ({ body }) => createOffice(deps, body),
    }),
    defineRoute({
      operationId: 'listOffices',
      method: 'get',
      path: '/offices',
      summary: 'List offices (admin, finance)',
      tags,
      access: ['admin', 'finance'],
      response: { status: 200, description: 'Offices', schema: z.array(OfficeViewSchema) },
      handle: () => listOffices(deps),
    }),
    defineRoute({
      operationId: 'disableOffice',
      method: 'post',
      path: '/offices/:id/disable',
      summary: 'Disable an office (admin)',
      tags,
      access: ['admin'],
      params: OfficeParams,
      response: { status: 200, description: 'Disabled', schema: OfficeViewSchema },
      problems: noOffice,
      handle: ({ params }) => setOfficeDisabled(deps, params.id, true),
    }),
    defineRoute({
      operationId: 'createDonationPoint',
      method: 'post',
      path: '/offices/:id/points',
      summary: 'Add a donation point (admin)',
      tags,
      access: ['admin'],
      params: OfficeParams,
      body: PointSchema,
      response: { status: 201, description: 'Created', schema: PosterPointSchema },
      problems: { ...noOffice, 409: 'The office is disabled' },
      handle: ({ params, body }) => createPoint(deps, params.id, body),
    }),
    ...staffRoutes(ctx),
    ...staffDonationRoutes(ctx),
  ];
}

/** Read by the office's own staff (and admins): assertOffice refuses another office's staff. */
function staffRoutes(ctx: RouteContext): Route[] {
  const { deps } = ctx;
  return [
    defineRoute({
      operationId: 'listDonationPoints',
      method: 'get',
      path: '/offices/:id/points',
      summary: 'Points of an office (admin, its staff)',
      tags,
      access: 'signed-in',
      params: OfficeParams,
      response: { status: 200, description: 'Points', schema: z.array(PosterPointSchema) },
      handle: ({ params, req }) => {
        assertOffice(req, params.id);
        return listPoints(deps, params.id);
      },
    }),
    defineRoute({
      operationId: 'getOfficePosters',
      method: 'get',
      path: '/offices/:id/posters.pdf',
      summary: 'Printable poster sheet, one page per active point (admin, its staff)',
      tags,
      access: 'signed-in',
      params: OfficeParams,
      response: { status: 200, raw: true, contentType: 'application/pdf', description: 'A4 PDF' },
      problems: noOffice,
      handle: async ({ params, req, res }) => {
        assertOffice(req, params.id);
        res.type('application/pdf').send(await postersPdf(deps, params.id));
      },
    }),
  ];
}

/** An office's donations for its console: the latest, and their live changes. */
function staffDonationRoutes(ctx: RouteContext): Route[] {
  const { deps } = ctx;
  return [
    defineRoute({
      operationId: 'listOfficeDonations',
      method: 'get',
      path: '/offices/:id/donations',
      summary: 'Latest 100 donations of an office, newest first (admin, its staff)',
      tags,
      access: 'signed-in',
      params: OfficeParams,
      response: { status: 200, description: 'Donations', schema: z.array(DonationViewSchema) },
      handle: ({ params, req }) => {
        assertOffice(req, params.id);
        return officeDonations(deps, params.id);
      },
    }),
    defineRoute({
      operationId: 'streamOfficeDonations',
      method: 'get',
      path: '/offices/:id/events',
      summary: 'Server-sent events: donation status changes in an office (admin, its staff)',
      description:
        'With Last-Event-ID (an updatedAt the stream sent), the donations changed since come first.',
      tags,
      access: 'signed-in',
      before: [ctx.streamLimit],
      params: OfficeParams,
      response: {
        status: 200,
        raw: true,
        contentType: 'text/event-stream',
        description: "`status` events; each event's data is a donation, its id the updatedAt",
        schema: DonationViewSchema,
      },
      problems: { 429: 'Too many live streams open' },
      handle: ({ params, req, res }) => {
        const officeId = params.id;
        assertOffice(req, officeId);
        donationStream(
          ctx.streams,
          req,
          res,
          (lastEventId) => officeDonationsChangedSince(deps, officeId, lastEventId),
          (send) => deps.notifier.onOffice(officeId, (view) => send(staffView(view))),
        );
      },
    }),
  ];
}

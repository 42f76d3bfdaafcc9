// The donor's side: give, follow the donation (JSON and SSE), confirm a PayPal return; and
// finance's refunds.
import { defineRoute, DONOR_SECRET_HEADER, donorSecretOf, reply, type Route } from '@bfi/http';
import { z } from 'zod';
import { createDonation, getDonation, refundDonation } from '../app/donations';
import { captureOnReturn } from '../app/paypal-return';
import { RATE_LIMITED, SHED, type RouteContext } from './context';
import { donationStream } from './donation-stream';
import { createDonationSchema, IdempotencyKeySchema, refundSchema, UuidParam } from './schemas';
import { CreatedDonationSchema, DonationViewSchema } from './views';

const DonationParams = z.object({ id: UuidParam });
const tags = ['Donations'];

const createDonationRoute = ({ deps, donationLimit, donationShed }: RouteContext): Route =>
  defineRoute({
    operationId: 'createDonation',
    method: 'post',
    path: '/donations',
    summary: 'Create a donation and get the provider checkout URL',
    tags,
    access: 'public',
    // Shed first: a refused request reaches neither the rate limits' budget nor the provider.
    before: [donationShed, ...donationLimit],
    headers: z.object({ 'idempotency-key': IdempotencyKeySchema }),
    body: createDonationSchema(deps.config.maxDonationMinor, deps.config.defaultFund),
    response: {
      status: 201,
      also: { 200: 'Replay of the same Idempotency-Key and body' },
      description: 'Created; redirectUrl is where to send the donor',
      schema: CreatedDonationSchema,
    },
    problems: {
      429: 'This gift (its Idempotency-Key) was sent too often, or too many gifts from this address; wait a minute',
      409: 'Same key, other body; or code in-progress (with Retry-After): an earlier request with this key is still at the provider',
      410: 'The counter QR code has expired or its point is no longer active',
      422: 'Not accepted, nothing charged: code fund-unknown / fund-closed, currency-not-supported-by-provider, or the provider refused',
      502: 'The payment provider could not be reached; retry with the same key',
      ...SHED,
    },
    handle: async ({ headers, body }) => {
      const result = await createDonation(deps, headers['idempotency-key'], {
        amount: { minor: body.amount, currency: body.currency },
        fund: body.fund,
        provider: body.provider,
        donorName: body.donorName ?? null,
        donorEmail: body.donorEmail ?? null,
        pointToken: body.pointToken ?? null,
        ...(body.locale ? { locale: body.locale } : {}),
        ...(body.coverFee ? { coverFee: true } : {}),
        ...(body.frequency === 'monthly' ? { frequency: body.frequency } : {}),
      });
      return reply(
        { ...result.donation, donorSecret: result.donorSecret },
        {
          status: result.replayed ? 200 : 201,
          headers: { location: `/donations/${result.donation.id}` },
        },
      );
    },
  });

const getDonationRoute = ({ deps, publicLimit }: RouteContext): Route =>
  defineRoute({
    operationId: 'getDonation',
    method: 'get',
    path: '/donations/:id',
    summary:
      'Donation status: pending, succeeded, failed, expired (the checkout closed unpaid), partially_refunded, refunded',
    tags,
    access: 'public',
    before: [publicLimit],
    params: DonationParams,
    response: { status: 200, description: 'The donation', schema: DonationViewSchema },
    problems: { ...RATE_LIMITED, 404: 'No such donation' },
    handle: ({ params }) => getDonation(deps, params.id),
  });

const streamDonationRoute = ({ deps, publicLimit, streams }: RouteContext): Route =>
  defineRoute({
    operationId: 'streamDonation',
    method: 'get',
    path: '/donations/:id/events',
    summary: 'Server-sent events: status changes of one donation (the current state first)',
    tags,
    access: 'public',
    before: [publicLimit],
    params: DonationParams,
    response: {
      status: 200,
      raw: true,
      contentType: 'text/event-stream',
      description: "`status` events; each event's data is the donation, its id the updatedAt",
      schema: DonationViewSchema,
    },
    problems: { 404: 'No such donation', 429: 'Too many live streams open' },
    handle: async ({ params, req, res }) => {
      const current = await getDonation(deps, params.id);
      // Resume: the current state is sent first, whatever the client saw last.
      donationStream(
        streams,
        req,
        res,
        async () => [current],
        (send) => deps.notifier.onDonation(current.id, send),
      );
    },
  });

const confirmPayPalReturnRoute = ({ deps, publicLimit, providerShed }: RouteContext): Route =>
  defineRoute({
    operationId: 'confirmPayPalReturn',
    method: 'post',
    path: '/donations/:id/paypal-return',
    summary:
      'The donor is back from PayPal: capture the approved order now (once, also if the webhook does too)',
    tags,
    access: 'public',
    before: [providerShed, publicLimit],
    params: DonationParams,
    headers: z.object({
      [DONOR_SECRET_HEADER]: z
        .string()
        .optional()
        .describe('The donor secret from the POST /donations answer'),
    }),
    response: {
      status: 200,
      description: 'The donation after the capture (pending while PayPal has not approved it)',
      schema: DonationViewSchema,
    },
    problems: {
      ...RATE_LIMITED,
      403: 'Not the device that made the donation',
      404: 'No such donation',
      409: 'Not a PayPal donation, or no PayPal order yet',
      502: 'PayPal could not be reached',
      ...SHED,
    },
    handle: ({ params, req }) => captureOnReturn(deps, params.id, donorSecretOf(req)),
  });

const refundDonationRoute = ({ deps, providerShed }: RouteContext): Route =>
  defineRoute({
    operationId: 'refundDonation',
    method: 'post',
    path: '/donations/:id/refunds',
    summary: 'Full (no amount) or partial refund (finance, admin)',
    tags,
    access: ['finance'],
    before: [providerShed],
    params: DonationParams,
    headers: z.object({
      'idempotency-key': z.string().optional().describe('Retries with the same key refund once'),
    }),
    body: refundSchema(deps.config.maxDonationMinor),
    response: { status: 201, description: 'Refunded', schema: DonationViewSchema },
    problems: {
      404: 'No such donation',
      409: 'Not refundable in its state, or code in-progress (with Retry-After)',
      422: 'The provider refused the refund',
      ...SHED,
    },
    handle: ({ params, headers, body }) =>
      refundDonation(deps, params.id, body.amount, headers['idempotency-key']),
  });

export function donationRoutes(ctx: RouteContext): Route[] {
  return [
    createDonationRoute(ctx),
    getDonationRoute(ctx),
    streamDonationRoute(ctx),
    confirmPayPalReturnRoute(ctx),
    refundDonationRoute(ctx),
  ];
}

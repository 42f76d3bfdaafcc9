// Monthly gifts' public routes: the four manage routes (the signed token in the path is the
// only credential; @bfi/http's request log replaces it by [token]) and the thank-you page's
// request for the manage link (with the donor secret).
import { defineRoute, donorSecretOf, reply, uuidId, type Route } from '@bfi/http';
import { SHED, type RouteContext } from './context';
import { MoneySchema } from '@bfi/money';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app/deps';
import {
  cancelByDonor,
  changeAmount,
  manageLinkOf,
  requestAnnualSummary,
  viewByToken,
} from '../app/manage';
import { SUBSCRIPTION_STATUSES } from '../domain/subscription';
import { minorAmount } from './schemas';

/** Any text: a malformed token is refused by the signature check (401), not as bad input. */
const TokenParams = z.strictObject({
  token: z.string().min(1).max(4096, { error: 'is too long to be a manage link' }),
});

const InstallmentSchema = z.object({
  donationId: z.uuid(),
  installment: z.int().min(1),
  amount: MoneySchema,
  status: z.string(),
  occurredAt: z.string(),
});

const SubscriptionViewSchema = z.object({
  id: z.uuid(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  provider: z.enum(['stripe', 'paypal']),
  fund: z.string(),
  amount: MoneySchema,
  donorEmail: z.string().nullable(),
  startedAt: z.string().nullable(),
  nextChargeAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  installments: z.array(InstallmentSchema),
});

const TOKEN_PROBLEMS = {
  401: 'The link is not valid (altered, incomplete or signed with another key)',
  403: 'The link has expired',
  404: 'The monthly gift does not exist',
  429: 'Too many requests from this address',
};

export function subscriptionRoutes(ctx: RouteContext): Route[] {
  const { deps } = ctx;
  const limit = ctx.publicLimit;
  return [...manageRoutes(deps, limit, ctx.providerShed), ...summaryRoutes(deps, limit)];
}

/** The change and the cancellation call the provider: shed before the limit and the handler. */
function manageRoutes(deps: AppDeps, limit: RequestHandler, shed: RequestHandler): Route[] {
  const base = {
    tags: ['Monthly gifts'],
    access: 'public' as const,
    before: [limit],
    params: TokenParams,
  };
  const view = {
    status: 200 as const,
    description: 'The monthly gift',
    schema: SubscriptionViewSchema,
  };
  return [
    defineRoute({
      ...base,
      operationId: 'getMonthlyGift',
      method: 'get',
      path: '/subscriptions/manage/:token',
      summary: 'A monthly gift and its installments, from the signed manage link',
      response: view,
      problems: TOKEN_PROBLEMS,
      handle: ({ params }) => viewByToken(deps, params.token),
    }),
    defineRoute({
      ...base,
      operationId: 'changeMonthlyGiftAmount',
      method: 'patch',
      path: '/subscriptions/manage/:token',
      summary: 'Change the amount of the next installments (nothing is charged now)',
      before: [shed, limit],
      body: z.strictObject({ amount: minorAmount(deps.config.maxDonationMinor) }),
      response: view,
      problems: {
        ...TOKEN_PROBLEMS,
        409: 'Cancelled or not started yet',
        422: 'The provider refused',
        ...SHED,
      },
      handle: ({ params, body }) => changeAmount(deps, params.token, body.amount),
    }),
    defineRoute({
      ...base,
      operationId: 'cancelMonthlyGift',
      method: 'post',
      path: '/subscriptions/manage/:token/cancel',
      summary:
        'Cancel the monthly gift: the provider subscription ends, nothing further is charged',
      before: [shed, limit],
      response: view,
      problems: { ...TOKEN_PROBLEMS, ...SHED },
      handle: ({ params }) => cancelByDonor(deps, params.token),
    }),
  ];
}

/** The annual summary, and the thank-you page's way to the manage link. */
function summaryRoutes(deps: AppDeps, limit: RequestHandler): Route[] {
  const base = {
    tags: ['Monthly gifts'],
    access: 'public' as const,
    before: [limit],
    params: TokenParams,
  };
  return [
    defineRoute({
      ...base,
      operationId: 'requestMonthlyGiftSummary',
      method: 'post',
      path: '/subscriptions/manage/:token/annual-summary',
      summary: "E-mail the year's installments as a PDF to the donor's address",
      body: z.strictObject({
        year: z.int({ error: 'must be a year, e.g. 2026' }).min(2020).max(2100),
      }),
      response: {
        status: 202,
        description: 'Sent to the (masked) address',
        schema: z.object({ year: z.int(), sentTo: z.string() }),
      },
      problems: {
        ...TOKEN_PROBLEMS,
        409: 'No e-mail address',
        503: 'The mail server is unavailable',
      },
      handle: async ({ params, body }) =>
        reply(await requestAnnualSummary(deps, params.token, body.year), { status: 202 }),
    }),
    defineRoute({
      operationId: 'getMonthlyGiftManageLink',
      tags: ['Monthly gifts'],
      access: 'public',
      before: [limit],
      method: 'get',
      path: '/donations/:id/manage-link',
      summary: "An installment's manage link, for the thank-you page (donor secret required)",
      params: z.strictObject({ id: uuidId('donation id') }),
      response: {
        status: 200,
        description: 'The manage token and the web page it opens',
        schema: z.object({
          subscriptionId: z.uuid(),
          manageToken: z.string(),
          manageUrl: z.string(),
        }),
      },
      problems: {
        403: 'Not the donor secret of this gift',
        404: 'No such donation, or a one-off gift',
      },
      handle: ({ params, req }) => manageLinkOf(deps, params.id, donorSecretOf(req)),
    }),
  ];
}

import { defineRoute, mountRouteTable, openApiDocument, type Route } from '@bfi/http';
import type { Express } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../app/deps';
import { RATE_LIMITED, routeContext, type RouteContext } from './context';
import { donationRoutes } from './donation-routes';
import { feeRoutes } from './fee-routes';
import { paymentErrors } from './errors';
import { officeRoutes } from './office-routes';
import { pointRoutes } from './point-routes';
import { receiptMailRoutes } from './receipt-mail-routes';
import { subscriptionRoutes } from './subscription-routes';
import { webhookDeliveryRoutes } from './webhook-delivery-routes';
import { webhookRoutes } from './webhook-routes';

const INFO = {
  title: '#BullyingFreeInternet payment service',
  version: '0.1.0',
  description:
    'Donations through Stripe Checkout and PayPal Orders v2, signed webhooks, donation points with QR codes, refunds. Amounts are integer minor units.',
};

const TAGS = [
  { name: 'Donations', description: 'Give, follow a donation, refund' },
  {
    name: 'Monthly gifts',
    description: 'See, change or cancel a monthly gift from its signed link',
  },
  { name: 'Webhooks', description: 'Stripe and PayPal deliveries' },
  { name: 'Offices', description: 'Offices, their points, posters and donations' },
  { name: 'Donation points', description: 'Poster and counter QR codes' },
  { name: 'Receipt e-mails', description: 'Sending status of the receipt e-mails' },
  { name: 'Meta', description: 'This document' },
];

/** Every endpoint of the service, in mount order (the OpenAPI document lists the same). */
export function paymentRoutes(ctx: RouteContext): Route[] {
  const routes: Route[] = [
    ...receiptMailRoutes(ctx),
    ...donationRoutes(ctx),
    ...feeRoutes(ctx),
    ...subscriptionRoutes(ctx),
    ...webhookRoutes(ctx),
    ...webhookDeliveryRoutes(ctx),
    ...officeRoutes(ctx),
    ...pointRoutes(ctx),
  ];
  let document: Record<string, unknown> | undefined;
  const openApi: Route = defineRoute({
    operationId: 'getPaymentOpenApi',
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document, generated from the route table',
    tags: ['Meta'],
    access: 'public',
    before: [ctx.publicLimit],
    response: {
      status: 200,
      description: 'The document',
      schema: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }),
    },
    problems: RATE_LIMITED,
    handle: (): Record<string, unknown> =>
      (document ??= openApiDocument(INFO, [openApi, ...routes], { tags: TAGS })),
  });
  return [openApi, ...routes];
}

export function mountRoutes(app: Express, deps: AppDeps): void {
  mountRouteTable(app, paymentRoutes(routeContext(deps)), {
    // Outside production every JSON answer is checked against its documented schema, so the
    // whole test suite proves the OpenAPI document.
    checkResponses: process.env.NODE_ENV !== 'production',
  });
  app.use(paymentErrors);
}

import {
  defineRoute,
  mountRouteTable,
  openApiDocument,
  SseLimiter,
  type Route,
  type SseLimits,
} from '@bfi/http';
import type { Express } from 'express';
import { z } from 'zod';
import type { RewardContext } from '../app/context';
import { adminRoutes } from './admin-routes';
import { donorRoutes } from './donor-routes';
import { rewardErrors } from './errors';
import { officeRoutes } from './office-routes';
import { staffRoutes } from './staff-routes';

const INFO = {
  title: '#BullyingFreeInternet reward service',
  version: '1.0.0',
  description:
    'Sticker-pack rewards: rules, office stock, claim codes with QR, hand-out and revocation. Errors are RFC 9457 problem+json.',
};

const TAGS = [
  { name: 'office', description: 'Office console: counter, claim codes, hand-outs, stock' },
  { name: 'donor', description: 'The donor’s thank-you page and phone (public, rate-limited)' },
  { name: 'admin', description: 'Reward rules and every office’s stock' },
  { name: 'finance', description: 'Rewards revoked after hand-out' },
];

/** Every endpoint of the service, once: mounted on express and described in /openapi.json. */
export function rewardRouteTable(ctx: RewardContext, sse?: SseLimits): Route[] {
  const streams = new SseLimiter(sse);
  const routes = [
    ...officeRoutes(ctx, streams),
    ...staffRoutes(ctx),
    ...donorRoutes(ctx),
    ...adminRoutes(ctx),
  ];
  // The document itself is served from the table but not listed in it (like /healthz, /metrics).
  const openApi = defineRoute({
    operationId: 'getRewardOpenApi',
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    access: 'public',
    response: {
      status: 200,
      description: 'OpenAPI document',
      schema: z.record(z.string(), z.unknown()),
    },
    handle: () => document,
  });
  const document = openApiDocument(INFO, routes, { tags: TAGS });
  return [openApi, ...routes];
}

export function rewardRoutes(ctx: RewardContext, sse?: SseLimits) {
  const table = rewardRouteTable(ctx, sse);
  return (app: Express): void => {
    // Every answer is checked against its documented schema, except in production.
    mountRouteTable(app, table, { checkResponses: process.env.NODE_ENV !== 'production' });
    app.use(rewardErrors);
  };
}

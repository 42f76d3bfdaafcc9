import { SseLimiter, type SseLimits } from '@bfi/http';
import type { Express } from 'express';
import type { RewardContext } from '../app/context';
import { adminRoutes } from './admin-routes';
import { donorRoutes } from './donor-routes';
import { rewardErrors } from './errors';
import { officeRoutes } from './office-routes';
import { openApiDocument } from './openapi';
import { staffRoutes } from './staff-routes';

export function rewardRoutes(ctx: RewardContext, sse?: SseLimits) {
  const streams = new SseLimiter(sse);
  const document = openApiDocument();
  return (app: Express): void => {
    app.get('/openapi.json', (_req, res) => {
      res.json(document);
    });
    officeRoutes(app, ctx, streams);
    staffRoutes(app, ctx);
    donorRoutes(app, ctx);
    adminRoutes(app, ctx);
    app.use(rewardErrors);
  };
}

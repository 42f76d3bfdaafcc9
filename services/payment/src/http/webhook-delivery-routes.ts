// GET /webhook-deliveries (finance, admin): the webhook inbox by state — by default the
// deliveries given up after the retry window, which a person must look into.
import { defineRoute, type Route } from '@bfi/http';
import { listWebhookDeliveries } from '../app/webhook-deliveries';
import type { RouteContext } from './context';
import { WebhookDeliveryQuery } from './schemas';
import { WebhookDeliveryListSchema } from './views';

export function webhookDeliveryRoutes({ deps }: RouteContext): Route[] {
  return [
    defineRoute({
      operationId: 'listWebhookDeliveries',
      method: 'get',
      path: '/webhook-deliveries',
      summary:
        'Stored provider deliveries in one state, newest first (finance, admin); default the given-up ones',
      tags: ['Webhooks'],
      access: ['admin', 'finance'],
      query: WebhookDeliveryQuery,
      response: {
        status: 200,
        description: 'The deliveries (without their raw body)',
        schema: WebhookDeliveryListSchema,
      },
      handle: ({ query }) => listWebhookDeliveries(deps, query),
    }),
  ];
}

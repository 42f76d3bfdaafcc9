// Provider webhooks: public, verified on the raw bytes (Stripe-Signature, PayPal's
// verify-webhook-signature), stored in the inbox and applied by the app (at once, or queued);
// both answer the same shape.
import { defineRoute, type Route } from '@bfi/http';
import { z } from 'zod';
import { handlePayPalWebhook } from '../app/paypal-webhook';
import { handleStripeWebhook } from '../app/stripe-webhook';
import { RATE_LIMITED, type RouteContext } from './context';
import { WebhookAnswerSchema } from './views';

const tags = ['Webhooks'];
const answer = {
  status: 200,
  description:
    'Received and stored: outcome says what it changed, why it changed nothing, or "queued…" (applied shortly, from the stored delivery)',
  schema: WebhookAnswerSchema,
} as const;
const problems = {
  ...RATE_LIMITED,
  400: 'Not signed by the provider, or not an event we can read',
  503: 'Too busy (code overloaded), or the delivery could not be stored (database unavailable): nothing was done; the provider sends it again',
};
const ProviderEvent = z
  .looseObject({ id: z.string(), type: z.string().optional() })
  .describe('The provider event, verified on its raw bytes');

const optionalHeader = (what: string) => z.string().optional().describe(what);

export function webhookRoutes(ctx: RouteContext): Route[] {
  const { deps, webhookLimit, webhookShed } = ctx;
  return [
    defineRoute({
      operationId: 'receiveStripeWebhook',
      method: 'post',
      path: '/webhooks/stripe',
      summary: 'Stripe webhook (Stripe-Signature verified)',
      tags,
      access: 'public',
      before: [webhookShed, webhookLimit],
      headers: z.object({ 'stripe-signature': optionalHeader('Stripe signs every delivery') }),
      bodyKind: 'raw',
      rawBodySchema: ProviderEvent,
      response: answer,
      problems,
      handle: ({ headers, req }) =>
        handleStripeWebhook(deps, req.rawBody, headers['stripe-signature']),
    }),
    defineRoute({
      operationId: 'receivePayPalWebhook',
      method: 'post',
      path: '/webhooks/paypal',
      summary: 'PayPal webhook (verified with verify-webhook-signature)',
      tags,
      access: 'public',
      before: [webhookShed, webhookLimit],
      headers: z.object({
        'paypal-transmission-id': optionalHeader(
          'PayPal transmission headers, checked with PayPal',
        ),
        'paypal-transmission-sig': optionalHeader('Signature of the delivery'),
        'paypal-transmission-time': optionalHeader('When PayPal sent it'),
        'paypal-cert-url': optionalHeader("PayPal's signing certificate"),
        'paypal-auth-algo': optionalHeader('Signature algorithm'),
      }),
      bodyKind: 'raw',
      rawBodySchema: ProviderEvent,
      response: answer,
      problems,
      // PayPal's signature check reads exactly these transmission headers.
      handle: ({ headers, req }) => handlePayPalWebhook(deps, headers, req.body, req.rawBody),
    }),
  ];
}

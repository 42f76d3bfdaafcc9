import { ProviderSchema } from '@bfi/events';
import type { Express } from 'express';
import {
  defineRoute,
  mountRouteTable,
  openApiDocument,
  publicRateLimit,
  unprocessable,
  type Route,
} from '@bfi/http';
import { CurrencySchema, MoneySchema } from '@bfi/money';
import { z } from 'zod';
import { feeEstimate } from '../app/cover-fee';
import type { AppDeps } from '../app/deps';
import { paypalRefusal } from '../domain/donation';
import type { PaymentConfig } from '../config';
import { minorAmount } from './schemas';

// GET /fee-estimates: what "add the card fee" would add to a gift, for the donate page (which
// shows it next to the checkbox) and any other client. Public: it says nothing about anyone.

function feeEstimateQuery(maxMinor: number) {
  return z.strictObject({
    provider: ProviderSchema,
    currency: CurrencySchema,
    amount: z
      .string({ error: 'must be the gift in minor units (e.g. 1250 for 12.50)' })
      .regex(/^\d{1,16}$/, { error: 'must be a whole number of minor units (e.g. 1250 for 12.50)' })
      .transform(Number)
      .pipe(minorAmount(maxMinor)),
  });
}

export const FeeEstimateSchema = z.strictObject({
  provider: ProviderSchema,
  currency: CurrencySchema,
  /** The intended gift, minor units. */
  amount: z.number().int().positive(),
  /** What covering the fee adds. */
  fee: MoneySchema,
  /** What would be charged: amount + fee. */
  total: MoneySchema,
  /** Always 'estimate': the provider's actual fee is known only after the payment. */
  basis: z.literal('estimate'),
});

export function feeRoutes(deps: Pick<AppDeps, 'config'>): Route[] {
  const { config } = deps;
  return [
    defineRoute({
      operationId: 'getFeeEstimate',
      method: 'get',
      path: '/fee-estimates',
      summary: 'The fee a donor would add to cover the card fee of a gift',
      description:
        'Exact integer arithmetic on minor units, rounded up so the fund is never short by the estimate. From FEE_ESTIMATES (per provider and currency) or the documented defaults.',
      tags: ['donations'],
      access: 'public',
      before: [publicRateLimit({ limit: config.publicRateLimit })],
      query: feeEstimateQuery(config.maxDonationMinor),
      response: { status: 200, description: 'The estimate', schema: FeeEstimateSchema },
      problems: {
        400: 'provider, currency or amount is missing or not valid',
        422: 'the provider does not take this currency',
        429: 'too many requests from this address',
      },
      handle: ({ query }) => {
        const refusal = query.provider === 'paypal' ? paypalRefusal(query.currency) : null;
        if (refusal) throw unprocessable(refusal, { code: 'currency-not-supported-by-provider' });
        const estimate = feeEstimate(deps, query.provider, {
          minor: query.amount,
          currency: query.currency,
        });
        return {
          provider: query.provider,
          currency: query.currency,
          amount: query.amount,
          fee: estimate.fee,
          total: estimate.total,
          basis: 'estimate' as const,
        };
      },
    }),
  ];
}

/** Mounted by routes.ts with one line. */
export function mountFeeRoutes(app: Express, deps: Pick<AppDeps, 'config'>): void {
  mountRouteTable(app, feeRoutes(deps));
}

/** The OpenAPI paths of these routes and the schemas they refer to, for payment's /openapi.json. */
export function feeRouteOpenApi(config: PaymentConfig): {
  paths: Record<string, unknown>;
  schemas: Record<string, unknown>;
} {
  const doc = openApiDocument(
    { title: 'fee estimates', version: '0', description: '' },
    feeRoutes({ config }),
  );
  const components = doc.components as { schemas: Record<string, unknown> };
  return { paths: doc.paths as Record<string, unknown>, schemas: components.schemas };
}

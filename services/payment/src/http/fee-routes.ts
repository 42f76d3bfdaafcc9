import { ProviderSchema } from '@bfi/events';
import { defineRoute, unprocessable, type Route } from '@bfi/http';
import { CurrencySchema, MoneySchema } from '@bfi/money';
import { z } from 'zod';
import { feeEstimate } from '../app/cover-fee';
import { paypalRefusal } from '../domain/donation';
import { RATE_LIMITED, type RouteContext } from './context';
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

export function feeRoutes(ctx: RouteContext): Route[] {
  const { deps } = ctx;
  const { config } = deps;
  return [
    defineRoute({
      operationId: 'getFeeEstimate',
      method: 'get',
      path: '/fee-estimates',
      summary: 'The fee a donor would add to cover the card fee of a gift',
      description:
        'Exact integer arithmetic on minor units, rounded up so the fund is never short by the estimate. From FEE_ESTIMATES (per provider and currency) or the documented defaults.',
      tags: ['Donations'],
      access: 'public',
      before: [ctx.publicLimit],
      query: feeEstimateQuery(config.maxDonationMinor),
      response: { status: 200, description: 'The estimate', schema: FeeEstimateSchema },
      problems: {
        400: 'provider, currency or amount is missing or not valid',
        422: 'the provider does not take this currency',
        ...RATE_LIMITED,
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

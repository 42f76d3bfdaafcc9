// Finance: one-off vs monthly giving per fund and currency, and the monthly run-rate.
import { defineRoute, type Route } from '@bfi/http';
import { z } from 'zod';
import type { LedgerDeps } from '../app/deps';
import { givingReport } from '../app/giving';

const Totals = z.object({
  count: z.int().describe('Donations (each installment is one)'),
  gross: z.int().describe('Minor units'),
  reversed: z.int().describe('Refunded or lost in disputes, minor units'),
  net: z.int().describe('gross − reversed, minor units'),
});

export const GivingTotalsResponse = z.object({
  funds: z.array(
    z.object({ fund: z.string(), currency: z.string(), oneOff: Totals, monthly: Totals }),
  ),
  runRate: z
    .array(z.object({ currency: z.string(), minor: z.int(), subscriptions: z.int() }))
    .describe('Per currency: what the active monthly subscriptions charge per month together'),
});

export function givingRoutes(deps: Pick<LedgerDeps, 'db'>): Route[] {
  return [
    defineRoute({
      operationId: 'getGivingTotals',
      method: 'get',
      path: '/totals/giving',
      summary: 'One-off vs monthly totals per fund and currency, and the monthly run-rate',
      tags: ['ledger'],
      access: ['finance'],
      response: { status: 200, description: 'The totals', schema: GivingTotalsResponse },
      handle: () => givingReport(deps),
    }),
  ];
}

// GET /donate/fee-estimate: the words of the "add the card fee" checkbox for the provider,
// currency and amount the donor has chosen, in the page language — what cover-fee.js shows as
// they change. Same origin (the browser never calls the APIs); payment computes the figure.
import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { estimateForForm, fetchFeeEstimate } from '../app/cover-fee';
import type { Apis } from '../app/api';
import { CURRENCIES } from '../app/present';
import type { DonateState } from '../views/donate';
import { coverFeeWords } from '../views/cover-fee';
import { pageContext } from './context';
import type { PageDeps } from './donor-pages';

const EstimateQuery = z.object({
  provider: z.enum(['stripe', 'paypal']),
  currency: z.enum(CURRENCIES),
  amount: z.coerce.number().int().positive().max(100_000_000),
});

export function mountCoverFee(app: Express, deps: PageDeps): void {
  app.get('/donate/fee-estimate', async (req: Request, res: Response) => {
    const ctx = pageContext(req, res, deps.config.counsellingUrl);
    const q = EstimateQuery.safeParse(req.query);
    // Whatever cannot be estimated gets the checkbox's plain words, never an error page: the
    // donor can still tick it, and payment adds the fee it estimates on submit.
    const estimate = q.success
      ? await fetchFeeEstimate(deps.apis, q.data.provider, {
          minor: q.data.amount,
          currency: q.data.currency,
        })
      : null;
    res.set('cache-control', 'no-store').json(coverFeeWords(ctx.t, ctx.locale, estimate));
  });
}

/** The donate page's state with the server-rendered estimate (works without JavaScript). */
export async function withFeeEstimate(apis: Apis, state: DonateState): Promise<DonateState> {
  const fixed = state.pointRefusal ? null : (state.point?.amount ?? null);
  return { ...state, feeEstimate: await estimateForForm(apis, state.form, fixed) };
}

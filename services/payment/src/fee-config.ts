// The cover-the-fee estimates (part of payment's configuration): FEE_ESTIMATES overrides the
// documented defaults in domain/fee-estimate.ts, per provider and currency.
import { z } from 'zod';
import { DEFAULT_FEE_SCHEDULE, parseFeeSchedule, type FeeSchedule } from './domain/fee-estimate';

export const FEE_ENV = {
  /** e.g. `stripe=2.9%+30,stripe:EUR=1.5%+25,paypal=3.49%+49` (percent + fixed minor units). */
  FEE_ESTIMATES: z
    .string()
    .optional()
    .transform((text, ctx): FeeSchedule => {
      const parsed = parseFeeSchedule(text, DEFAULT_FEE_SCHEDULE);
      if (typeof parsed !== 'string') return parsed;
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }),
};

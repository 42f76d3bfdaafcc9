import { ProviderSchema } from '@bfi/events';
import { openPeriodSchema, periodSchema } from '@bfi/http';
import { z } from 'zod';
import { CSV_FORMATS, LINE_STATUSES } from '../domain';

// Request schemas of the reconciliation and export endpoints (validation and /openapi.json).

export const ImportByPeriodBody = periodSchema({ provider: ProviderSchema });
export const ImportByPayoutBody = z.strictObject({
  provider: z.literal('stripe'),
  payoutId: z.string().regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be a Stripe payout id' }),
});

/** For /openapi.json; requests are read with the variant they name (see importSchemaFor). */
export const ImportBody = z.union([ImportByPeriodBody, ImportByPayoutBody], {
  error:
    'send { provider: "stripe"|"paypal", from, to } or { provider: "stripe", payoutId } (from inclusive, to exclusive)',
});

/** A body with a payoutId is an import by payout, any other one by period: each gets its own field errors. */
export function importSchemaFor(body: unknown) {
  return typeof body === 'object' && body !== null && 'payoutId' in body
    ? ImportByPayoutBody
    : ImportByPeriodBody;
}

export const UploadQuery = z.strictObject({
  format: z.enum(CSV_FORMATS, { error: `must be one of ${CSV_FORMATS.join(', ')}` }),
  filename: z.string().max(200).default('upload.csv'),
});

export const StatementsQuery = openPeriodSchema({
  provider: ProviderSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d+$/, { error: 'must be the nextCursor of a previous page' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const RunBody = periodSchema({
  provider: ProviderSchema.nullable().default(null),
});

export const RunParam = z.object({ runId: z.uuid({ error: 'must be a run id (UUID)' }) });
export const LineParam = RunParam.extend({ lineNo: z.coerce.number().int().min(1) });

export const LinesQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(LINE_STATUSES, { error: `must be among ${LINE_STATUSES.join(', ')}` })))
    .optional(),
  discrepancies: z.enum(['true', 'false']).optional(),
  cursor: z
    .string()
    .regex(/^\d+$/, { error: 'must be the nextCursor of a previous page' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ResolveBody = z.strictObject({
  action: z.enum(['accept', 'correct', 'reopen'], {
    error:
      'must be "accept" (explained, no posting), "correct" (post a correcting entry) or "reopen"',
  }),
  comment: z.string().trim().min(3, { error: 'say why (at least 3 characters)' }).max(2000),
  fund: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be a fund slug' })
    .optional(),
});

export const ReportQuery = z.strictObject({
  fund: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be a fund slug' })
    .optional(),
});

export const ExportQuery = openPeriodSchema({
  fund: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be a fund slug' })
    .optional(),
  groupBy: z
    .enum(['currency', 'channel', 'office', 'day'], {
      error: 'must be one of currency, channel, office, day',
    })
    .default('currency'),
});

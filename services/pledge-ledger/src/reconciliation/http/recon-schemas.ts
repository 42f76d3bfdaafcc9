import { ProviderSchema } from '@bfi/events';
import {
  boundedInt,
  dbText,
  INT4_MAX,
  numericCursor,
  openPeriodSchema,
  periodSchema,
  uuidId,
} from '@bfi/http';
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
  filename: dbText(200).default('upload.csv'),
});

export const StatementsQuery = openPeriodSchema({
  provider: ProviderSchema.optional(),
  cursor: numericCursor().transform(Number).optional(),
  limit: boundedInt(1, 1000, 'number of lines').default(100),
});

export const RunBody = periodSchema({
  provider: ProviderSchema.nullable().default(null),
});

export const RunParam = z.object({ runId: uuidId('run id') });
export const LineParam = RunParam.extend({ lineNo: boundedInt(1, INT4_MAX, 'line number') });

export const LinesQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(LINE_STATUSES, { error: `must be among ${LINE_STATUSES.join(', ')}` })))
    .optional(),
  discrepancies: z.enum(['true', 'false']).optional(),
  cursor: numericCursor().transform(Number).optional(),
  limit: boundedInt(1, 1000, 'number of lines').default(100),
});

export const ResolveBody = z.strictObject({
  action: z.enum(['accept', 'correct', 'reopen'], {
    error:
      'must be "accept" (explained, no posting), "correct" (post a correcting entry) or "reopen"',
  }),
  comment: dbText(2000, { min: 3 }),
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

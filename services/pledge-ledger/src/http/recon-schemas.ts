import { ProviderSchema } from '@bfi/events';
import { boundedInt, dbText, INT4_MAX, numericCursor, uuidId } from '@bfi/http';
import { z } from 'zod';
import { CSV_FORMATS, LINE_STATUSES } from '../domain';

// Request schemas of the reconciliation and export endpoints (validation and /openapi.json).

const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'must be an ISO 8601 date (2025-03-01) or date-time with a zone (2025-03-01T00:00:00Z)',
});

const Period = { from: Instant, to: Instant };

export const ImportBody = z.union(
  [
    z.strictObject({ provider: ProviderSchema, ...Period }),
    z.strictObject({
      provider: z.literal('stripe'),
      payoutId: z.string().regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be a Stripe payout id' }),
    }),
  ],
  {
    error:
      'send { provider: "stripe"|"paypal", from, to } or { provider: "stripe", payoutId } (from inclusive, to exclusive)',
  },
);

export const UploadQuery = z.strictObject({
  format: z.enum(CSV_FORMATS, { error: `must be one of ${CSV_FORMATS.join(', ')}` }),
  filename: dbText(200).default('upload.csv'),
});

export const StatementsQuery = z.strictObject({
  provider: ProviderSchema.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  cursor: numericCursor().optional(),
  limit: boundedInt(1, 1000, 'number of lines').default(100),
});

export const RunBody = z.strictObject({
  ...Period,
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
  cursor: numericCursor().optional(),
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

export const ExportQuery = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
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

import { z } from 'zod';
import { LINE_STATUSES } from '../domain';

// Response schemas of the reconciliation endpoints: documented in /openapi.json and checked
// against every answer outside production (mountRouteTable's checkResponses).

const int = z.int();
const iso = z.string().describe('ISO 8601 date-time (UTC)');
const money = { currency: z.string(), gross: int, fee: int, net: int };

export const ImportResultView = z.object({
  importId: z.uuid(),
  inserted: int,
  updated: int,
  unchanged: int,
  skipped: int,
  conflicting: int,
  conflicts: z.array(
    z.object({ reference: z.string(), stored: z.object(money), imported: z.object(money) }),
  ),
});

export const StatementLinesPage = z.object({
  lines: z.array(
    z.object({
      provider: z.string(),
      reference: z.string(),
      sourceRef: z.string(),
      type: z.string(),
      ...money,
      createdAt: iso,
      availableOn: iso.nullable(),
      payoutId: z.string().nullable(),
      description: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null: last page'),
});

export const ImportList = z.object({
  imports: z.array(
    z.object({
      id: z.uuid(),
      provider: z.string(),
      source: z.string(),
      detail: z.string(),
      inserted: int,
      unchanged: int,
      updated: int,
      skipped: int,
      conflicting: int,
      createdBy: z.string().nullable(),
      createdAt: iso,
    }),
  ),
});

const RunSummaryView = z.object({
  lines: int,
  discrepancies: int,
  counts: z.record(z.string(), int),
});

export const RunViewSchema = z.object({
  id: z.uuid(),
  from: iso,
  to: iso,
  provider: z.string().nullable(),
  status: z.enum(['running', 'completed', 'failed']),
  progress: z
    .object({
      phase: z.enum(['matching', 'payouts', 'done']),
      processed: int,
      total: int.optional(),
      updatedAt: iso,
    })
    .nullable(),
  summary: RunSummaryView.nullable(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  startedAt: iso,
  finishedAt: iso.nullable(),
  csvSha256: z.string().nullable(),
  /** On a rerun: the run it repeats. */
  rerunOf: z.uuid().optional(),
});

export const RunList = z.object({ runs: z.array(RunViewSchema) });

export const ResolutionView = z.object({
  id: z.uuid(),
  action: z.enum(['accepted', 'corrected', 'reopened']),
  comment: z.string(),
  correctionEntryId: z.string().nullable(),
  resolvedBy: z.string(),
  resolvedAt: iso,
});

export const PostedResolution = ResolutionView.extend({
  entrySeq: int.nullable().describe('seq of the correction entry (action corrected)'),
});

export const ResolutionList = z.object({ resolutions: z.array(ResolutionView) });

const nInt = int.nullable();
export const RunLinesPage = z.object({
  lines: z.array(
    z.object({
      lineNo: int,
      provider: z.string(),
      type: z.string(),
      ref: z.string(),
      status: z.enum(LINE_STATUSES),
      statementCurrency: z.string().nullable(),
      statementGross: nInt,
      statementFee: nInt,
      statementNet: nInt,
      statementRefs: z.string().nullable(),
      ledgerCurrency: z.string().nullable(),
      ledgerGross: nInt,
      ledgerFee: nInt,
      ledgerEntries: int,
      fund: z.string().nullable(),
      payoutId: z.string().nullable(),
      occurredAt: iso.nullable(),
      detail: z.string(),
      resolution: ResolutionView.nullable(),
    }),
  ),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null: last page'),
});

import { z } from 'zod';

// Response schemas of the ledger's endpoints: documented in /openapi.json and checked against
// every answer outside production (mountRouteTable's checkResponses).

const int = z.int();
const iso = z.string().describe('ISO 8601 date-time (UTC)');

export const FundView = z.object({
  slug: z.string(),
  name: z.string(),
  restricted: z.boolean(),
  feePolicy: z.enum(['fund', 'general']),
  description: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  version: int,
});

export const FundList = z.object({ funds: z.array(FundView) });

export const FundTotalsRowView = z.object({
  group: z.string().nullable().optional(),
  currency: z.string(),
  gross: int,
  fees: int,
  refunds: int,
  disputesLost: int,
  disputesHeld: int,
  net: int,
  available: int,
  count: int,
});

export const FundTotalsView = z.object({
  fund: z.string(),
  from: iso.nullable(),
  to: iso.nullable(),
  groupBy: z.enum(['currency', 'channel', 'office', 'day']),
  amountsIn: z.literal('minor units'),
  rows: z.array(FundTotalsRowView),
});

export const JournalEntryView = z.object({
  id: z.uuid(),
  seq: int,
  kind: z.string(),
  idempotencyKey: z.string(),
  donationId: z.string().nullable(),
  fund: z.string().nullable(),
  channel: z.string().nullable(),
  officeId: z.string().nullable(),
  provider: z.string().nullable(),
  providerRef: z.string().nullable(),
  sourceEventId: z.string().nullable(),
  description: z.string(),
  occurredAt: iso,
  postedAt: iso,
  prevHash: z.string(),
  hash: z.string(),
  lines: z.array(
    z.object({
      lineNo: int,
      account: z.string(),
      accountType: z.string(),
      fund: z.string().nullable(),
      currency: z.string(),
      amount: int.describe('signed minor units: debit positive, credit negative'),
    }),
  ),
});

export const JournalPage = z.object({
  entries: z.array(JournalEntryView),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null: last page'),
});

export const AuditReportView = z.object({
  ok: z.boolean(),
  checked: int,
  head: z.object({ seq: int, hash: z.string() }),
  firstBreak: z
    .object({
      seq: int,
      entryId: z.string(),
      problem: z.enum(['prev-hash-mismatch', 'hash-mismatch', 'seq-gap']),
      detail: z.string(),
    })
    .nullable(),
});

export const ParkedList = z.object({
  parked: z.array(
    z.object({
      eventId: z.string(),
      donationId: z.string(),
      type: z.string(),
      reason: z.string(),
      parkedAt: iso,
      refusedAt: iso.nullable(),
    }),
  ),
});

export const PostedPayout = z.object({ entryId: z.uuid(), seq: int });

export const CampaignTotalsView = z.object({
  raised: z.array(z.object({ currency: z.string(), minor: int })),
  donors: int,
  version: int,
  updatedAt: iso,
});

const DeadLetterView = z.object({
  id: z.string(),
  dlqTopic: z.string(),
  topic: z.string(),
  reason: z.string(),
  error: z.string(),
  consumer: z.string().nullable(),
  source: z.string().nullable(),
  failedAt: z.string().nullable(),
  event: z.object({
    id: z.string().nullable(),
    type: z.string().nullable(),
    subject: z.string().nullable(),
  }),
  replayedAt: z.string().nullable(),
  replayedBy: z.string().nullable(),
});

export const DeadLetterList = z.object({ deadLetters: z.array(DeadLetterView) });
export const ReplayResultView = z.object({ replayed: z.array(DeadLetterView), skipped: int });

/** The document itself (its shape is OpenAPI 3.1's, not repeated here). */
export const OpenApiView = z.looseObject({ openapi: z.literal('3.1.0') });

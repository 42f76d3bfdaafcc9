import type { ReconLine } from '../domain';
import { toNumber, type Db, type Tx } from '../../db/client';

// Queries for the stored lines of a reconciliation run (API pages, CSV and PDF exports).

export interface Resolution {
  id: string;
  action: string;
  comment: string;
  correctionEntryId: string | null;
  resolvedBy: string;
  resolvedAt: string;
}

export type StoredLine = ReconLine & { lineNo: number; resolution: Resolution | null };

interface LineRow {
  line_no: number;
  provider: string;
  type: string;
  ref: string;
  status: string;
  statement_currency: string | null;
  statement_gross: bigint | null;
  statement_fee: bigint | null;
  statement_net: bigint | null;
  statement_refs: string | null;
  ledger_currency: string | null;
  ledger_gross: bigint | null;
  ledger_fee: bigint | null;
  ledger_entries: number;
  fund: string | null;
  payout_id: string | null;
  occurred_at: Date | null;
  detail: string;
  resolution: {
    id: string;
    action: string;
    comment: string;
    correction_entry_id: string | null;
    resolved_by: string;
    resolved_at: string;
  } | null;
}

const num = (v: bigint | null) => (v === null ? null : toNumber(v));

function toLine(r: LineRow): StoredLine {
  const res = r.resolution;
  return {
    lineNo: r.line_no,
    provider: r.provider,
    type: r.type,
    ref: r.ref,
    status: r.status as ReconLine['status'],
    statementCurrency: r.statement_currency,
    statementGross: num(r.statement_gross),
    statementFee: num(r.statement_fee),
    statementNet: num(r.statement_net),
    statementRefs: r.statement_refs,
    ledgerCurrency: r.ledger_currency,
    ledgerGross: num(r.ledger_gross),
    ledgerFee: num(r.ledger_fee),
    ledgerEntries: r.ledger_entries,
    fund: r.fund,
    payoutId: r.payout_id,
    occurredAt: r.occurred_at?.toISOString() ?? null,
    detail: r.detail,
    resolution: res
      ? {
          id: res.id,
          action: res.action,
          comment: res.comment,
          correctionEntryId: res.correction_entry_id,
          resolvedBy: res.resolved_by,
          resolvedAt: new Date(res.resolved_at).toISOString(),
        }
      : null,
  };
}

export interface LinesQuery {
  status?: string[];
  discrepanciesOnly?: boolean;
  /** line_no of the last line of the previous page. */
  after?: number;
  limit: number;
  lineNo?: number;
  /** false: leave out each line's latest resolution (the CSV has no column for it). */
  resolutions?: boolean;
}

const LATEST_RESOLUTION = `(SELECT row_to_json(d) FROM discrepancy_resolution d
    WHERE d.run_id = r.run_id AND d.line_no = r.line_no
    ORDER BY d.resolved_at DESC, d.id LIMIT 1)`;

/** A run's lines in line order with each line's latest resolution; keyset-paged. */
export async function runLines(db: Db | Tx, runId: string, q: LinesQuery): Promise<StoredLine[]> {
  const rows = await db.$queryRawUnsafe<LineRow[]>(
    // The page is cut first, then each of its lines gets its resolution (a subquery over the
    // whole remainder before LIMIT made paging through a million lines quadratic).
    `SELECT r.*, ${q.resolutions === false ? 'NULL' : LATEST_RESOLUTION} AS resolution
     FROM (SELECT * FROM reconciliation_line
           WHERE run_id = $1::uuid AND line_no > $2
             AND ($3::text[] IS NULL OR status = ANY($3::text[]))
             AND ($4::int IS NULL OR line_no = $4)
           ORDER BY line_no
           LIMIT $5) r
     ORDER BY r.line_no`,
    runId,
    q.after ?? 0,
    q.status ?? (q.discrepanciesOnly ? DISCREPANCY_LIST : null),
    q.lineNo ?? null,
    q.limit,
  );
  return rows.map(toLine);
}

const DISCREPANCY_LIST = [
  'amount-mismatch',
  'fee-mismatch',
  'currency-mismatch',
  'missing-in-ledger',
  'missing-at-provider',
  'payout-mismatch',
];

/** Every line of a run (or only its discrepancies), a page at a time, for exports. */
export async function* allRunLines(
  db: Db | Tx,
  runId: string,
  discrepanciesOnly = false,
  pageSize = 5000,
  resolutions = true,
): AsyncGenerator<StoredLine> {
  let after = 0;
  for (;;) {
    const page = await runLines(db, runId, {
      after,
      limit: pageSize,
      discrepanciesOnly,
      resolutions,
    });
    for (const line of page) yield line;
    if (page.length < pageSize) return;
    after = page.at(-1)!.lineNo;
  }
}

export async function resolutionsOf(db: Db, runId: string, lineNo: number): Promise<Resolution[]> {
  const rows = await db.discrepancyResolution.findMany({
    where: { runId, lineNo },
    orderBy: [{ resolvedAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    comment: r.comment,
    correctionEntryId: r.correctionEntryId,
    resolvedBy: r.resolvedBy,
    resolvedAt: r.resolvedAt.toISOString(),
  }));
}

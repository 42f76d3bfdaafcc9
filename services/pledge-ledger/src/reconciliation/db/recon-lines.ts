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

// A line travels as ONE text column (a JSON array, in LINE_COLUMNS order): the client parses
// 19 typed columns per row several times slower than one JSON text, and the run's CSV
// fingerprint reads every line back. Amounts as strings (exact), occurred_at as epoch ms.
const LINE_COLUMNS = `r.line_no, r.provider, r.type, r.ref, r.status, r.statement_currency,
  r.statement_gross::text, r.statement_fee::text, r.statement_net::text, r.statement_refs, r.ledger_currency,
  r.ledger_gross::text, r.ledger_fee::text, r.ledger_entries, r.fund, r.payout_id,
  (extract(epoch FROM r.occurred_at) * 1000)::bigint, r.detail`;

type LineRow = [
  number,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  string | null,
  string | null,
  number | null,
  string,
  {
    id: string;
    action: string;
    comment: string;
    correction_entry_id: string | null;
    resolved_by: string;
    resolved_at: string;
  } | null,
];

const num = (v: string | null) => (v === null ? null : toNumber(BigInt(v)));

function toLine(j: string): StoredLine {
  const r = JSON.parse(j) as LineRow;
  const res = r[18];
  return {
    lineNo: r[0],
    provider: r[1],
    type: r[2],
    ref: r[3],
    status: r[4] as ReconLine['status'],
    statementCurrency: r[5],
    statementGross: num(r[6]),
    statementFee: num(r[7]),
    statementNet: num(r[8]),
    statementRefs: r[9],
    ledgerCurrency: r[10],
    ledgerGross: num(r[11]),
    ledgerFee: num(r[12]),
    ledgerEntries: r[13],
    fund: r[14],
    payoutId: r[15],
    occurredAt: r[16] === null ? null : new Date(r[16]).toISOString(),
    detail: r[17],
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
  const rows = await db.$queryRawUnsafe<{ j: string }[]>(
    // The page is cut first, then each of its lines gets its resolution (a subquery over the
    // whole remainder before LIMIT made paging through a million lines quadratic).
    `SELECT json_build_array(${LINE_COLUMNS},
       ${q.resolutions === false ? 'NULL' : LATEST_RESOLUTION})::text AS j
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
  return rows.map((r) => toLine(r.j));
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

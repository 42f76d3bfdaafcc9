import { DISCREPANCIES } from '../domain';
import { toNumber, type Db } from '../../db/client';

// What the finance PDF reads about a run's lines: sums computed by PostgreSQL (GROUP BY) and
// the few largest discrepancies (a top-N sort in the database), so the report's work and
// memory do not grow with the run however many lines it has.

/** One status and currency pair of a run's discrepancies, summed as lines.csv would sum. */
export interface DiscrepancyTotal {
  status: string;
  statementCurrency: string | null;
  ledgerCurrency: string | null;
  lines: number;
  /** Sum of statement_gross_minor (lines without a statement side count 0). */
  statementGross: number;
  ledgerGross: number;
  /** Sum of gross_difference_minor: only lines with both sides in the same currency have one. */
  grossDifference: number;
  feeDifference: number;
}

/** A printed discrepancy row: the CSV's columns the table shows, plus its latest resolution. */
export interface ReportLine {
  lineNo: number;
  provider: string;
  type: string;
  ref: string;
  status: string;
  statementCurrency: string | null;
  statementGross: number | null;
  ledgerCurrency: string | null;
  ledgerGross: number | null;
  detail: string;
  resolution: string | null;
}

const num = (v: bigint | null) => (v === null ? null : toNumber(v));
const STATUSES = [...DISCREPANCIES];

export async function discrepancyTotals(db: Db, runId: string): Promise<DiscrepancyTotal[]> {
  const rows = await db.$queryRawUnsafe<
    {
      status: string;
      statement_currency: string | null;
      ledger_currency: string | null;
      lines: bigint;
      statement_gross: bigint;
      ledger_gross: bigint;
      gross_difference: bigint;
      fee_difference: bigint;
    }[]
  >(
    `SELECT status, statement_currency, ledger_currency, count(*) AS lines,
            COALESCE(sum(statement_gross), 0)::bigint AS statement_gross,
            COALESCE(sum(ledger_gross), 0)::bigint AS ledger_gross,
            COALESCE(sum(statement_gross - ledger_gross)
                     FILTER (WHERE statement_currency = ledger_currency), 0)::bigint AS gross_difference,
            COALESCE(sum(statement_fee - ledger_fee)
                     FILTER (WHERE statement_currency = ledger_currency), 0)::bigint AS fee_difference
     FROM reconciliation_line
     WHERE run_id = $1::uuid AND status = ANY($2::text[])
     GROUP BY 1, 2, 3
     ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST`,
    runId,
    STATUSES,
  );
  return rows.map((r) => ({
    status: r.status,
    statementCurrency: r.statement_currency,
    ledgerCurrency: r.ledger_currency,
    lines: toNumber(r.lines),
    statementGross: toNumber(r.statement_gross),
    ledgerGross: toNumber(r.ledger_gross),
    grossDifference: toNumber(r.gross_difference),
    feeDifference: toNumber(r.fee_difference),
  }));
}

/**
 * The run's `limit` largest discrepancies: by the larger of the gross and the fee difference
 * (a side that is missing counts as 0, so a missing line weighs its whole amount), in minor
 * units of the line's currency; equal ones in line order. Each with its latest resolution.
 */
export async function largestDiscrepancies(
  db: Db,
  runId: string,
  limit: number,
): Promise<ReportLine[]> {
  const rows = await db.$queryRawUnsafe<
    {
      line_no: number;
      provider: string;
      type: string;
      ref: string;
      status: string;
      statement_currency: string | null;
      statement_gross: bigint | null;
      ledger_currency: string | null;
      ledger_gross: bigint | null;
      detail: string;
      resolution: string | null;
    }[]
  >(
    // The top N is cut first; only those N look up their resolution.
    `SELECT r.line_no, r.provider, r.type, r.ref, r.status, r.statement_currency, r.statement_gross,
            r.ledger_currency, r.ledger_gross, r.detail,
            (SELECT d.action FROM discrepancy_resolution d
             WHERE d.run_id = r.run_id AND d.line_no = r.line_no
             ORDER BY d.resolved_at DESC, d.id LIMIT 1) AS resolution
     FROM (SELECT *, greatest(abs(COALESCE(statement_gross, 0) - COALESCE(ledger_gross, 0)),
                              abs(COALESCE(statement_fee, 0) - COALESCE(ledger_fee, 0))) AS weight
           FROM reconciliation_line
           WHERE run_id = $1::uuid AND status = ANY($2::text[])
           ORDER BY weight DESC, line_no
           LIMIT $3) r
     ORDER BY r.weight DESC, r.line_no`,
    runId,
    STATUSES,
    limit,
  );
  return rows.map((r) => ({
    lineNo: r.line_no,
    provider: r.provider,
    type: r.type,
    ref: r.ref,
    status: r.status,
    statementCurrency: r.statement_currency,
    statementGross: num(r.statement_gross),
    ledgerCurrency: r.ledger_currency,
    ledgerGross: num(r.ledger_gross),
    detail: r.detail,
    resolution: r.resolution,
  }));
}

import { parse } from 'csv-parse/sync';
import { CsvRejected, parseStatementCsv, type CsvFormat } from '../domain';
import type { Db } from '../../db/client';
import { storeAll, type ImportResult } from '../db/statement-repo';

const PROVIDER: Record<CsvFormat, 'stripe' | 'paypal'> = {
  'stripe-balance': 'stripe',
  'stripe-payout': 'stripe',
  'paypal-activity': 'paypal',
};

/** Parses CSV text into rows of strings; a malformed file (bad quoting) is refused. */
export function csvRows(text: string): string[][] {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    throw new CsvRejected(
      `The file is not valid CSV, nothing was stored: ${err instanceof Error ? err.message : String(err)}`,
      [],
    );
  }
}

/**
 * An uploaded report: validated whole (every column, every amount) before anything is stored,
 * then stored in one transaction. Throws CsvRejected (→ 422) with the problems found.
 */
export async function importCsv(
  db: Db,
  format: CsvFormat,
  text: string,
  fileName: string,
  createdBy: string | null,
): Promise<ImportResult> {
  const { lines, skipped } = parseStatementCsv(format, csvRows(text));
  return storeAll(
    db,
    lines,
    { provider: PROVIDER[format], source: `${format}-csv`, detail: fileName, createdBy },
    skipped,
  );
}

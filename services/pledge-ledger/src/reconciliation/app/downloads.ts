import type { Readable } from 'node:stream';
import type { Db } from '../../db/client';
import { requireFund, type GroupBy } from '../../ledger';
import { fundTotalsCsv, journalCsv, reconciliationCsv } from './exports';
import { reportStream } from './pdf';
import { requireCompletedRun } from './run-views';

// Each download checks what it names before the first byte, so a refusal is still problem+json.

export async function runLinesCsv(db: Db, runId: string): Promise<Readable> {
  await requireCompletedRun(db, runId);
  return reconciliationCsv(db, runId);
}

export async function runReportPdf(db: Db, runId: string, fund?: string): Promise<Readable> {
  await requireCompletedRun(db, runId);
  if (fund) await requireFund(db, fund);
  return reportStream(db, { runId, fund });
}

export function journalLinesCsv(db: Db, q: { from?: Date; to?: Date; fund?: string }): Readable {
  return journalCsv(db, q);
}

export async function fundTotalsDownload(
  db: Db,
  q: { from?: Date; to?: Date; groupBy: GroupBy; fund?: string },
): Promise<Readable> {
  if (q.fund) await requireFund(db, q.fund);
  return fundTotalsCsv(db, q);
}

import type { Db } from '../../db/client';
import { LedgerError } from '../../ledger';
import {
  findRun,
  listRuns,
  resolutionsOf,
  runLines,
  type RunView,
} from '../db/reconciliation-repo';
import type { LineStatus } from '../domain';

export async function requireRun(db: Db, runId: string): Promise<RunView> {
  const run = await findRun(db, runId);
  if (!run)
    throw new LedgerError(
      'not-found',
      `There is no reconciliation run ${runId}. GET /reconciliation/runs lists them.`,
    );
  return run;
}

/** Lines, CSV and PDF exist only for a completed run: a running one has none visible yet. */
export async function requireCompletedRun(db: Db, runId: string): Promise<RunView> {
  const run = await requireRun(db, runId);
  if (run.status !== 'completed')
    throw new LedgerError(
      'conflict',
      run.status === 'running'
        ? `Run ${runId} is still running (${run.progress ? `${run.progress.phase}, ${run.progress.processed} keys classified` : 'starting'}); its lines appear when it completes.`
        : `Run ${runId} is ${run.status}; only a completed run has lines and a report.`,
    );
  return run;
}

export const runList = async (db: Db) => ({ runs: await listRuns(db) });

/** A page of a completed run's lines; `nextCursor` is the last line number of a full page. */
export async function runLinesPage(
  db: Db,
  runId: string,
  q: { status?: LineStatus[]; discrepanciesOnly: boolean; after?: number; limit: number },
) {
  await requireCompletedRun(db, runId);
  const lines = await runLines(db, runId, q);
  return {
    lines,
    nextCursor: lines.length === q.limit ? String(lines.at(-1)!.lineNo) : null,
  };
}

export async function lineResolutions(db: Db, runId: string, lineNo: number) {
  await requireRun(db, runId);
  return { resolutions: await resolutionsOf(db, runId, lineNo) };
}

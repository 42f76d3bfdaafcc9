import type { Logger } from '@bfi/messaging';
import type { Db } from '../../db/client';
import { storeCsvSha256, type RunParams, type RunView } from '../db/reconciliation-repo';
import { sha256Of } from './csv-writer';
import { reconciliationCsv } from './exports';
import { startRun } from './run-reconciliation';
import { requireRun } from './run-views';

/**
 * The stored SHA-256 of a completed run's CSV. Runs completed before it was stored get it
 * computed once, now, and kept.
 */
export async function runCsvSha256(db: Db, run: RunView): Promise<string> {
  if (run.csvSha256) return run.csvSha256;
  const sha = await sha256Of(reconciliationCsv(db, run.id));
  await storeCsvSha256(db, run.id, sha);
  return sha;
}

/**
 * Starts a run. `wait: false` (HTTP `Prefer: respond-async`) answers with the run at once and
 * it goes on (its failure is logged and stored on the run); otherwise the run as it ends.
 */
export async function launchRun(
  deps: { db: Db; logger: Logger },
  params: RunParams,
  wait: boolean,
): Promise<RunView> {
  const { run, done } = await startRun(deps.db, params);
  if (wait) return done;
  done.catch((err: unknown) =>
    deps.logger.warn({ err, runId: run.id }, 'reconciliation run failed'),
  );
  return run;
}

/** The same period and provider again, as a new run. */
export async function rerun(
  deps: { db: Db; logger: Logger },
  runId: string,
  createdBy: string,
  wait: boolean,
): Promise<RunView & { rerunOf: string }> {
  const before = await requireRun(deps.db, runId);
  const provider =
    before.provider === 'stripe' || before.provider === 'paypal' ? before.provider : null;
  const run = await launchRun(
    deps,
    { from: new Date(before.from), to: new Date(before.to), provider, createdBy },
    wait,
  );
  return { ...run, rerunOf: runId };
}

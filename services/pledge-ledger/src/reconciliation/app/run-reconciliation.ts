import type { Db, Tx } from '../../db/client';
import {
  checkPayout,
  classify,
  isDiscrepancy,
  mergeByKey,
  summarize,
  type ReconLine,
} from '../domain';
import {
  analyzeLines,
  completeRun,
  failRun,
  findRun,
  insertLines,
  insertRun,
  lockRun,
  openRunSides,
  payoutFacts,
  saveProgress,
  type RunParams,
  type RunProgress,
  type RunSummary,
  type RunView,
} from '../db/reconciliation-repo';
import { sha256Of } from './csv-writer';
import { reconciliationCsv } from './exports';

// The reconciliation run, as a use case: record it, classify every key of the period in one
// snapshot, report progress on the way, and finish it completed (with its CSV's SHA-256) or failed.

/** Providers whose payouts list the transactions they contain (in-transit applies to them). */
const PAYOUT_PROVIDERS = ['stripe'] as const;
const INSERT_BATCH = 2000;

/** Runs a reconciliation to its end. */
export async function reconcile(
  db: Db,
  params: RunParams,
  onProgress?: (p: RunProgress) => void,
): Promise<RunView> {
  return (await startRun(db, params, onProgress)).done;
}

/**
 * Records the run and starts it; `done` settles when it has completed or failed (the run row
 * says which either way). For callers that answer before the run ends (HTTP respond-async).
 */
export async function startRun(
  db: Db,
  params: RunParams,
  onProgress?: (p: RunProgress) => void,
): Promise<{ run: RunView; done: Promise<RunView> }> {
  const id = await insertRun(db, params);
  const run = (await findRun(db, id))!;
  return { run, done: executeRun(db, id, params, onProgress) };
}

/**
 * Streams both sides in key order, classifies each key (../domain), checks the period's payouts,
 * and stores every line. One REPEATABLE READ transaction: the run sees one snapshot of statements
 * and ledger, and its lines appear all at once.
 */
async function executeRun(
  db: Db,
  id: string,
  params: RunParams,
  onProgress?: (p: RunProgress) => void,
): Promise<RunView> {
  const beacon = new ProgressBeacon(db, id);
  const report = (p: RunProgress) => {
    beacon.set(p);
    onProgress?.(p);
  };
  try {
    await db.$transaction(
      async (tx) => {
        await lockRun(tx, id);
        const summary = await classifyAll(tx, id, params, report);
        // Once, here: a run never changes, so neither does its CSV (the PDF prints this).
        const csvSha256 = await sha256Of(reconciliationCsv(tx, id));
        await completeRun(tx, id, summary, csvSha256);
      },
      { timeout: 6 * 3600_000, maxWait: 30_000, isolationLevel: 'RepeatableRead' },
    );
  } catch (err) {
    await beacon.close();
    await failRun(db, id, err instanceof Error ? err.message : String(err));
    throw err;
  }
  report({ phase: 'done', processed: 0 });
  await beacon.close();
  await analyzeLines(db);
  return (await findRun(db, id))!;
}

/**
 * Writes a run's progress outside its transaction, one write at a time, always the latest
 * (a run reports faster than the database needs to hear). Failures are ignored: progress is
 * for people watching, never a reason to fail the run.
 */
class ProgressBeacon {
  private latest?: RunProgress;
  private writing?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly runId: string,
  ) {}

  set(progress: RunProgress): void {
    this.latest = progress;
    this.writing ??= this.drain();
  }

  async close(): Promise<void> {
    await this.writing;
  }

  private async drain(): Promise<void> {
    for (let next = this.latest; next; next = this.latest) {
      this.latest = undefined;
      await saveProgress(this.db, this.runId, next).catch(() => undefined);
    }
    this.writing = undefined;
  }
}

async function classifyAll(
  tx: Tx,
  runId: string,
  params: RunParams,
  onProgress: (p: RunProgress) => void,
): Promise<RunSummary> {
  const writer = new LineWriter(tx, runId);
  const { total, statement, ledger } = await openRunSides(tx, params);
  onProgress({ phase: 'matching', processed: 0, total });
  // About a hundred reports a run (the beacon writes only the latest), at most 50 000 keys apart.
  const every = Math.min(50_000, Math.max(100, Math.ceil(total / 100)));
  for await (const pair of mergeByKey(statement, ledger)) {
    await writer.add(classify(pair, { payoutProviders: PAYOUT_PROVIDERS }));
    if (writer.count % every === 0)
      onProgress({ phase: 'matching', processed: writer.count, total });
  }
  onProgress({ phase: 'payouts', processed: writer.count, total });
  for (const facts of await payoutFacts(tx, params)) await writer.add(checkPayout(facts));
  await writer.flush();
  return {
    lines: writer.count,
    discrepancies: [...writer.counts].reduce((n, [s, c]) => n + (isDiscrepancy(s) ? c : 0), 0),
    counts: summarize(writer.counts),
  };
}

/** Numbers and counts the run's lines, and stores them INSERT_BATCH at a time. */
class LineWriter {
  count = 0;
  readonly counts = new Map<string, number>();
  private batch: (ReconLine & { lineNo: number })[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly runId: string,
  ) {}

  async add(line: ReconLine): Promise<void> {
    this.count += 1;
    this.counts.set(line.status, (this.counts.get(line.status) ?? 0) + 1);
    this.batch.push({ ...line, lineNo: this.count });
    if (this.batch.length >= INSERT_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    await insertLines(this.tx, this.runId, lines);
  }
}

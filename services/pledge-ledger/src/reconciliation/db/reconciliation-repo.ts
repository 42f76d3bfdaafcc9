import { randomUUID } from 'node:crypto';
import {
  checkPayout,
  classify,
  isDiscrepancy,
  mergeByKey,
  summarize,
  type ReconLine,
} from '../domain';
import type { Db, Tx } from '../../db/client';
import {
  cursor,
  LEDGER_SQL,
  payoutFacts,
  scopeCount,
  STATEMENT_SQL,
  toLedger,
  toStatement,
} from './recon-sides';

export { currentLedgerSide } from './recon-sides';
export {
  allRunLines,
  resolutionsOf,
  runLines,
  type LinesQuery,
  type Resolution,
  type StoredLine,
} from './recon-lines';

export interface RunParams {
  from: Date;
  /** Exclusive. */
  to: Date;
  provider: 'stripe' | 'paypal' | null;
  createdBy: string | null;
}

/**
 * The SHA-256 of a run's CSV export, read inside the run's transaction just before it
 * completes (src/reconciliation/runs.ts passes it: the CSV format lives with the exports).
 */
export type RunFingerprint = (tx: Tx, runId: string) => Promise<string>;

export interface RunOptions {
  fingerprint: RunFingerprint;
  onProgress?: (p: RunProgress) => void;
}

export interface RunProgress {
  phase: 'matching' | 'payouts' | 'done';
  /** Keys classified so far. */
  processed: number;
  /**
   * Keys the run expects (the period's statement refs and ledger refs, counted as it starts):
   * an estimate for a progress bar — a ref with both a payment and a refund is two keys, so
   * processed can pass it slightly before the run is done.
   */
  total?: number;
}

export interface RunView {
  id: string;
  from: string;
  to: string;
  provider: string | null;
  /** running | completed | failed */
  status: string;
  /** While running: the phase and how many keys are classified (null before the first report). */
  progress: (RunProgress & { updatedAt: string }) | null;
  summary: RunSummary | null;
  error: string | null;
  createdBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** SHA-256 of the run's reconciliation CSV (lines.csv), once completed. */
  csvSha256: string | null;
}

export interface RunSummary {
  lines: number;
  discrepancies: number;
  counts: Record<string, number>;
}

/** Providers whose payouts list the transactions they contain (in-transit applies to them). */
const PAYOUT_PROVIDERS = ['stripe'] as const;
const INSERT_BATCH = 2000;

/**
 * Runs a reconciliation: streams both sides in key order, classifies each key (src/domain),
 * checks the period's payouts, and stores every line. One REPEATABLE READ transaction: the
 * run sees one snapshot of statements and ledger, and its lines appear all at once.
 */
export async function runReconciliation(
  db: Db,
  params: RunParams,
  options: RunOptions,
): Promise<RunView> {
  return (await startReconciliation(db, params, options)).done;
}

/**
 * Records the run and starts it; `done` settles when it has completed or failed (the run row
 * says which either way). For callers that answer before the run ends (HTTP respond-async).
 */
export async function startReconciliation(
  db: Db,
  params: RunParams,
  options: RunOptions,
): Promise<{ run: RunView; done: Promise<RunView> }> {
  const id = randomUUID();
  await db.reconciliationRun.create({
    data: {
      id,
      periodFrom: params.from,
      periodTo: params.to,
      provider: params.provider,
      status: 'running',
      createdBy: params.createdBy,
    },
  });
  const run = (await findRun(db, id))!;
  return { run, done: executeRun(db, id, params, options) };
}

async function executeRun(
  db: Db,
  id: string,
  params: RunParams,
  options: RunOptions,
): Promise<RunView> {
  const beacon = new ProgressBeacon(db, id);
  const report = (p: RunProgress) => {
    beacon.set(p);
    options.onProgress?.(p);
  };
  try {
    await db.$transaction(
      async (tx) => {
        // Held until the run commits or dies: how readers tell a live run from one whose
        // process stopped (see findRun).
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${RUN_LOCK_SQL})`, id);
        const summary = await classifyAll(tx, id, params, report);
        // Once, here: a run never changes, so neither does its CSV (the PDF prints this).
        const csvSha256 = await options.fingerprint(tx, id);
        await tx.reconciliationRun.update({
          where: { id },
          data: {
            status: 'completed',
            summary: JSON.stringify(summary),
            finishedAt: new Date(),
            csvSha256,
          },
        });
      },
      { timeout: 6 * 3600_000, maxWait: 30_000, isolationLevel: 'RepeatableRead' },
    );
  } catch (err) {
    await beacon.close();
    await db.reconciliationRun.update({
      where: { id },
      data: {
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
        finishedAt: new Date(),
      },
    });
    throw err;
  }
  report({ phase: 'done', processed: 0 });
  await beacon.close();
  // Fresh statistics for the line queries of exports (autovacuum may not have come by yet).
  await db.$executeRawUnsafe('ANALYZE reconciliation_line');
  return (await findRun(db, id))!;
}

/** The advisory lock key of a run ($1 = run id). */
const RUN_LOCK_SQL = `hashtext('reconciliation-run:' || $1)`;

/**
 * Writes a run's progress outside its transaction, one write at a time, always the latest
 * (a run reports faster than the database needs to hear). Failures are only logged: progress is
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
      await this.db.reconciliationProgress
        .upsert({
          where: { runId: this.runId },
          create: {
            runId: this.runId,
            phase: next.phase,
            processed: next.processed,
            total: next.total ?? null,
          },
          update: { phase: next.phase, processed: next.processed, total: next.total ?? null },
        })
        .catch(() => undefined);
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
  const args = [params.from, params.to, params.provider];
  // Cursors are planned for the first 10% of rows by default (nested loops); this run reads
  // every row, so plan for all of them (hash joins, one sort).
  await tx.$executeRawUnsafe('SET LOCAL cursor_tuple_fraction = 1.0');
  const writer = new LineWriter(tx, runId);
  const total = await scopeCount(tx, args);
  onProgress({ phase: 'matching', processed: 0, total });
  // About a hundred reports a run (the beacon writes only the latest), at most 50 000 keys apart.
  const every = Math.min(50_000, Math.max(100, Math.ceil(total / 100)));
  const statement = cursor(tx, 'recon_statement', STATEMENT_SQL, args, toStatement);
  const ledger = cursor(tx, 'recon_ledger', LEDGER_SQL, args, toLedger);
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
    const rows = this.batch.map((l) => ({
      line_no: l.lineNo,
      provider: l.provider,
      type: l.type,
      ref: l.ref,
      status: l.status,
      statement_currency: l.statementCurrency,
      statement_gross: l.statementGross,
      statement_fee: l.statementFee,
      statement_net: l.statementNet,
      statement_refs: l.statementRefs,
      ledger_currency: l.ledgerCurrency,
      ledger_gross: l.ledgerGross,
      ledger_fee: l.ledgerFee,
      ledger_entries: l.ledgerEntries,
      fund: l.fund,
      payout_id: l.payoutId,
      occurred_at: l.occurredAt,
      detail: l.detail,
    }));
    this.batch = [];
    await this.tx.$executeRawUnsafe(
      `INSERT INTO reconciliation_line (run_id, line_no, provider, type, ref, status, statement_currency, statement_gross,
         statement_fee, statement_net, statement_refs, ledger_currency, ledger_gross, ledger_fee, ledger_entries, fund,
         payout_id, occurred_at, detail)
       SELECT $2::uuid, line_no, provider, type, ref, status, statement_currency, statement_gross, statement_fee,
              statement_net, statement_refs, ledger_currency, ledger_gross, ledger_fee, ledger_entries, fund, payout_id,
              occurred_at, detail
       FROM jsonb_to_recordset($1::jsonb) AS x(line_no int, provider text, type text, ref text, status text,
            statement_currency text, statement_gross bigint, statement_fee bigint, statement_net bigint,
            statement_refs text, ledger_currency text, ledger_gross bigint, ledger_fee bigint, ledger_entries int,
            fund text, payout_id text, occurred_at timestamptz, detail text)`,
      JSON.stringify(rows),
      this.runId,
    );
  }
}

// ---- Reading runs and lines -----------------------------------------------------------------

type RunRow = NonNullable<Awaited<ReturnType<Db['reconciliationRun']['findUnique']>>>;
type ProgressRow = NonNullable<Awaited<ReturnType<Db['reconciliationProgress']['findUnique']>>>;

function toRunView(r: RunRow, p: ProgressRow | null): RunView {
  return {
    id: r.id,
    from: r.periodFrom.toISOString(),
    to: r.periodTo.toISOString(),
    provider: r.provider,
    status: r.status,
    progress:
      r.status === 'running' && p
        ? {
            phase: p.phase as RunProgress['phase'],
            processed: p.processed,
            ...(p.total === null ? {} : { total: p.total }),
            updatedAt: p.updatedAt.toISOString(),
          }
        : null,
    summary: r.summary ? (JSON.parse(r.summary) as RunSummary) : null,
    error: r.error,
    createdBy: r.createdBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    csvSha256: r.csvSha256,
  };
}

export async function findRun(db: Db, id: string): Promise<RunView | null> {
  let row = await db.reconciliationRun.findUnique({ where: { id } });
  if (row?.status === 'running' && (await markIfInterrupted(db, id))) {
    row = await db.reconciliationRun.findUnique({ where: { id } });
  }
  if (!row) return null;
  const progress = await db.reconciliationProgress.findUnique({ where: { runId: id } });
  return toRunView(row, progress);
}

export async function listRuns(db: Db, limit = 100): Promise<RunView[]> {
  const query = () =>
    db.reconciliationRun.findMany({ orderBy: { startedAt: 'desc' }, take: limit });
  let rows = await query();
  const running = rows.filter((r) => r.status === 'running').map((r) => r.id);
  if (running.length === 0) return rows.map((r) => toRunView(r, null));
  let marked = false;
  for (const id of running) marked = (await markIfInterrupted(db, id)) || marked;
  if (marked) rows = await query();
  const progress = await db.reconciliationProgress.findMany({ where: { runId: { in: running } } });
  const byRun = new Map(progress.map((p) => [p.runId, p]));
  return rows.map((r) => toRunView(r, byRun.get(r.id) ?? null));
}

/**
 * A run says "running" while its transaction holds the run's advisory lock. If the lock can be
 * taken, the process that ran it stopped (crash, deploy) and Postgres rolled its work back:
 * the run is marked failed so nobody waits for it. Only runs older than a minute: a new run's
 * transaction may still be waiting for a connection (maxWait 30 s) before it takes the lock.
 * The lock is taken inside a transaction, so it is released at once.
 */
async function markIfInterrupted(db: Db, id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRawUnsafe<{ free: boolean }[]>(
      `SELECT pg_try_advisory_xact_lock(${RUN_LOCK_SQL}) AS free`,
      id,
    );
    if (!lock?.free) return false;
    const marked = await tx.$executeRawUnsafe(
      `UPDATE reconciliation_run SET status = 'failed', error = $2, finished_at = now()
       WHERE id = $1::uuid AND status = 'running' AND started_at < now() - interval '60 seconds'`,
      id,
      INTERRUPTED,
    );
    return marked > 0;
  });
}

const INTERRUPTED =
  'interrupted: the process running this reconciliation stopped before it finished; nothing of it was stored — start the run again';

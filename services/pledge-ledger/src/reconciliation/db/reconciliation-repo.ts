import { randomUUID } from 'node:crypto';
import type { ReconLine } from '../domain';
import type { Db, Tx } from '../../db/client';

// Runs and their lines: the SQL a reconciliation run reads and writes. The run itself (one
// snapshot, classify, progress, finish) is the use case in app/run-reconciliation.ts.

export { currentLedgerSide, openRunSides, payoutFacts } from './recon-sides';
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

/** Records a new run as running; returns its id. */
export async function insertRun(db: Db, params: RunParams): Promise<string> {
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
  return id;
}

/** The advisory lock key of a run ($1 = run id). */
const RUN_LOCK_SQL = `hashtext('reconciliation-run:' || $1)`;

/**
 * Takes the run's advisory lock for the rest of the transaction: held until the run commits or
 * dies, it is how readers tell a live run from one whose process stopped (see findRun).
 */
export async function lockRun(tx: Tx, id: string): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${RUN_LOCK_SQL})`, id);
}

export async function completeRun(
  tx: Tx,
  id: string,
  summary: RunSummary,
  csvSha256: string,
): Promise<void> {
  await tx.reconciliationRun.update({
    where: { id },
    data: {
      status: 'completed',
      summary: JSON.stringify(summary),
      finishedAt: new Date(),
      csvSha256,
    },
  });
}

export async function failRun(db: Db, id: string, error: string): Promise<void> {
  await db.reconciliationRun.update({
    where: { id },
    data: { status: 'failed', error, finishedAt: new Date() },
  });
}

/** Stores a completed run's CSV SHA-256 unless one is stored already. */
export async function storeCsvSha256(db: Db, id: string, sha: string): Promise<void> {
  await db.reconciliationRun.updateMany({
    where: { id, csvSha256: null },
    data: { csvSha256: sha },
  });
}

/** The run's latest progress (outside its transaction, so readers see it while it runs). */
export async function saveProgress(db: Db, runId: string, p: RunProgress): Promise<void> {
  await db.reconciliationProgress.upsert({
    where: { runId },
    create: { runId, phase: p.phase, processed: p.processed, total: p.total ?? null },
    update: { phase: p.phase, processed: p.processed, total: p.total ?? null },
  });
}

/** Appends a batch of a run's lines (numbered by the caller) in one statement. */
export async function insertLines(
  tx: Tx,
  runId: string,
  lines: (ReconLine & { lineNo: number })[],
): Promise<void> {
  const rows = lines.map((l) => ({
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
  await tx.$executeRawUnsafe(
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
    runId,
  );
}

/** Fresh statistics for the line queries of exports (autovacuum may not have come by yet). */
export async function analyzeLines(db: Db): Promise<void> {
  await db.$executeRawUnsafe('ANALYZE reconciliation_line');
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

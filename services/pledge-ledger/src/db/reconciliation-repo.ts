import { randomUUID } from 'node:crypto';
import {
  checkPayout,
  classify,
  isDiscrepancy,
  mergeByKey,
  summarize,
  type LedgerSide,
  type ReconLine,
  type StatementSide,
} from '../domain';
import { toNumber, type Db, type Tx } from './client';

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
const FETCH = 5000;
const INSERT_BATCH = 2000;

// Keys in scope: any statement line or ledger movement of the period. Each side is then read
// whole for those keys, whatever its date, so a charge at 23:59 whose statement line is dated
// the next day still matches.
const SCOPE = `scope AS (
  SELECT provider, source_ref AS ref FROM statement_line
   WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR provider = $3)
  UNION
  SELECT provider, provider_ref FROM journal_entry
   WHERE occurred_at >= $1 AND occurred_at < $2 AND provider_ref IS NOT NULL AND provider IS NOT NULL
     AND kind <> 'dispute-lost' AND ($3::text IS NULL OR provider = $3)
)`;

const STATEMENT_SQL = `WITH ${SCOPE}
SELECT s.provider, s.type, s.source_ref AS ref, s.currency,
       sum(s.gross_minor)::bigint AS gross, sum(s.fee_minor)::bigint AS fee, sum(s.net_minor)::bigint AS net,
       bool_and(s.payout_id IS NOT NULL) AS in_payout, max(s.payout_id) AS payout_id,
       string_agg(s.reference, ',' ORDER BY s.reference) AS refs, min(s.created_at) AS created_at
FROM statement_line s
WHERE (s.provider, s.source_ref) IN (SELECT provider, ref FROM scope)
GROUP BY s.provider, s.type, s.source_ref, s.currency
ORDER BY s.provider COLLATE "C", s.type COLLATE "C", s.source_ref COLLATE "C", s.currency COLLATE "C"`;

/**
 * The ledger as the provider sees it, per entry kind: a donation and its fee are one
 * `payment` (gross = clearing debit, fee = fees debit); refund, payout: the clearing movement;
 * a dispute opening / win: the amount held / released (the provider takes the money when the
 * dispute opens, so the later `dispute-lost` entry has no provider movement of its own);
 * corrections: under the statement type they correct (ledger_correction).
 */
const LEDGER_MOVEMENTS = `
SELECT e.provider,
       CASE e.kind WHEN 'donation' THEN 'payment' WHEN 'fee' THEN 'payment' WHEN 'refund' THEN 'refund'
                   WHEN 'dispute-opened' THEN 'dispute' WHEN 'dispute-won' THEN 'dispute-reversal'
                   WHEN 'payout' THEN 'payout' WHEN 'correction' THEN c.type END AS type,
       e.provider_ref AS ref, l.currency,
       sum(CASE WHEN e.kind IN ('dispute-opened', 'dispute-won')
                THEN CASE WHEN l.account_type = 'disputes-held' THEN l.amount_minor ELSE 0 END
                WHEN l.account_type IN ('clearing', 'fees') THEN l.amount_minor ELSE 0 END)::bigint AS gross,
       sum(CASE WHEN l.account_type = 'fees' THEN l.amount_minor ELSE 0 END)::bigint AS fee,
       count(DISTINCT e.id) AS entries, max(e.fund) AS fund, min(e.occurred_at) AS occurred_at
FROM journal_entry e
JOIN journal_line l ON l.entry_id = e.id
LEFT JOIN ledger_correction c ON c.entry_id = e.id
WHERE e.provider_ref IS NOT NULL AND e.provider IS NOT NULL AND e.kind <> 'dispute-lost'`;

const LEDGER_SQL = `WITH ${SCOPE}
SELECT * FROM (${LEDGER_MOVEMENTS}
  AND (e.provider, e.provider_ref) IN (SELECT provider, ref FROM scope)
  GROUP BY 1, 2, 3, 4) q
WHERE q.type IS NOT NULL
ORDER BY q.provider COLLATE "C", q.type COLLATE "C", q.ref COLLATE "C", q.currency COLLATE "C"`;

interface StatementRow {
  provider: string;
  type: string;
  ref: string;
  currency: string;
  gross: bigint;
  fee: bigint;
  net: bigint;
  in_payout: boolean;
  payout_id: string | null;
  refs: string;
  created_at: Date;
}

interface LedgerRow {
  provider: string;
  type: string;
  ref: string;
  currency: string;
  gross: bigint;
  fee: bigint;
  entries: bigint;
  fund: string | null;
  occurred_at: Date;
}

const toStatement = (r: StatementRow): StatementSide => ({
  provider: r.provider,
  type: r.type,
  ref: r.ref,
  currency: r.currency,
  gross: toNumber(r.gross),
  fee: toNumber(r.fee),
  net: toNumber(r.net),
  inPayout: r.in_payout,
  payoutId: r.payout_id,
  references: r.refs,
  createdAt: r.created_at.toISOString(),
});

const toLedger = (r: LedgerRow): LedgerSide => ({
  provider: r.provider,
  type: r.type,
  ref: r.ref,
  currency: r.currency,
  gross: toNumber(r.gross),
  fee: toNumber(r.fee),
  entries: toNumber(r.entries),
  fund: r.fund,
  occurredAt: r.occurred_at.toISOString(),
});

/** Rows of a server-side cursor, FETCH by FETCH: never the whole result in memory. */
async function* cursor<R, T>(
  tx: Tx,
  name: string,
  sql: string,
  params: unknown[],
  map: (row: R) => T,
): AsyncGenerator<T> {
  await tx.$executeRawUnsafe(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, ...params);
  for (;;) {
    const rows = await tx.$queryRawUnsafe<R[]>(`FETCH ${FETCH} FROM ${name}`);
    for (const row of rows) yield map(row);
    if (rows.length < FETCH) break;
  }
  await tx.$executeRawUnsafe(`CLOSE ${name}`);
}

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
          create: { runId: this.runId, phase: next.phase, processed: next.processed },
          update: { phase: next.phase, processed: next.processed },
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
  const statement = cursor(tx, 'recon_statement', STATEMENT_SQL, args, toStatement);
  const ledger = cursor(tx, 'recon_ledger', LEDGER_SQL, args, toLedger);
  for await (const pair of mergeByKey(statement, ledger)) {
    await writer.add(classify(pair, { payoutProviders: PAYOUT_PROVIDERS }));
    if (writer.count % 50_000 === 0) onProgress({ phase: 'matching', processed: writer.count });
  }
  onProgress({ phase: 'payouts', processed: writer.count });
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

interface PayoutRow {
  provider: string;
  payout_id: string;
  amount_minor: bigint;
  currency: string;
  arrival_date: Date;
  member_net: bigint | null;
  member_count: bigint;
  member_currencies: string[] | null;
  bank_amount: bigint | null;
  bank_currency: string | null;
}

async function payoutFacts(tx: Tx, params: RunParams) {
  const rows = await tx.$queryRawUnsafe<PayoutRow[]>(
    `SELECT p.provider, p.payout_id, p.amount_minor, p.currency, p.arrival_date,
            m.net AS member_net, m.n AS member_count, m.currencies AS member_currencies,
            b.amount AS bank_amount, b.currency AS bank_currency
     FROM provider_payout p
     LEFT JOIN LATERAL (
       SELECT sum(s.net_minor)::bigint AS net, count(*) AS n, array_agg(DISTINCT s.currency) AS currencies
       FROM statement_line s
       WHERE s.provider = p.provider AND s.payout_id = p.payout_id
         AND NOT (s.type = 'payout' AND s.source_ref = p.payout_id)
     ) m ON true
     LEFT JOIN LATERAL (
       SELECT sum(l.amount_minor)::bigint AS amount, min(l.currency) AS currency
       FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
       WHERE e.provider = p.provider AND e.provider_ref = p.payout_id AND e.kind IN ('payout', 'correction')
         AND l.account_type = 'bank'
       HAVING count(*) > 0
     ) b ON true
     WHERE p.arrival_date >= $1 AND p.arrival_date < $2 AND ($3::text IS NULL OR p.provider = $3)
     ORDER BY p.provider, p.payout_id`,
    params.from,
    params.to,
    params.provider,
  );
  return rows.map((r) => ({
    provider: r.provider,
    payoutId: r.payout_id,
    amount: toNumber(r.amount_minor),
    currency: r.currency,
    arrivalDate: r.arrival_date.toISOString(),
    memberNet: r.member_net === null ? null : toNumber(r.member_net),
    memberCount: toNumber(r.member_count),
    memberCurrencies: r.member_currencies ?? [],
    bank:
      r.bank_amount === null
        ? null
        : { amount: toNumber(r.bank_amount), currency: r.bank_currency ?? '' },
  }));
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
}

/** A run's lines in line order with each line's latest resolution; keyset-paged. */
export async function runLines(db: Db | Tx, runId: string, q: LinesQuery): Promise<StoredLine[]> {
  const rows = await db.$queryRawUnsafe<LineRow[]>(
    // The page is cut first, then each of its lines gets its resolution (a subquery over the
    // whole remainder before LIMIT made paging through a million lines quadratic).
    `SELECT r.*, (SELECT row_to_json(d) FROM discrepancy_resolution d
                   WHERE d.run_id = r.run_id AND d.line_no = r.line_no
                   ORDER BY d.resolved_at DESC, d.id LIMIT 1) AS resolution
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
): AsyncGenerator<StoredLine> {
  let after = 0;
  for (;;) {
    const page = await runLines(db, runId, { after, limit: pageSize, discrepanciesOnly });
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

/** The ledger's movement for one key now (to refuse a correction based on a stale run). */
export async function currentLedgerSide(
  tx: Tx,
  key: { provider: string; type: string; ref: string },
): Promise<{ currency: string; gross: number; fee: number }[]> {
  const rows = await tx.$queryRawUnsafe<LedgerRow[]>(
    `SELECT * FROM (${LEDGER_MOVEMENTS} AND e.provider = $1 AND e.provider_ref = $3
       GROUP BY 1, 2, 3, 4) q
     WHERE q.type = $2 AND (q.gross <> 0 OR q.fee <> 0) ORDER BY q.currency`,
    key.provider,
    key.type,
    key.ref,
  );
  return rows.map((r) => ({
    currency: r.currency,
    gross: toNumber(r.gross),
    fee: toNumber(r.fee),
  }));
}

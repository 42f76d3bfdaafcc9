import type { LedgerSide, StatementSide } from '../domain';
import { toNumber, type Tx } from '../../db/client';
import type { RunParams } from './reconciliation-repo';

// Reading both sides of a reconciliation: the provider's statement and the ledger's movements.

const FETCH = 5000;

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

/** How many refs are in scope: the expected number of keys, for the run's progress. */
async function scopeCount(tx: Tx, args: unknown[]): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ n: bigint }[]>(
    `WITH ${SCOPE} SELECT count(*) AS n FROM scope`,
    ...args,
  );
  return toNumber(rows[0]?.n ?? 0n);
}

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
 * Both sides of a run's period, each in key order (server-side cursors, read lazily), and how
 * many keys the run expects. Inside the run's transaction.
 */
export async function openRunSides(tx: Tx, params: RunParams) {
  const args = [params.from, params.to, params.provider];
  // Cursors are planned for the first 10% of rows by default (nested loops); this run reads
  // every row, so plan for all of them (hash joins, one sort).
  await tx.$executeRawUnsafe('SET LOCAL cursor_tuple_fraction = 1.0');
  const total = await scopeCount(tx, args);
  return {
    total,
    statement: cursor(tx, 'recon_statement', STATEMENT_SQL, args, toStatement),
    ledger: cursor(tx, 'recon_ledger', LEDGER_SQL, args, toLedger),
  };
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

/** The period's payouts with what the statement and the ledger say about each (checkPayout). */
export async function payoutFacts(tx: Tx, params: RunParams) {
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

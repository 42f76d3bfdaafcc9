import type { LedgerSide, StatementSide } from '../domain';
import { toNumber, type Tx } from '../../db/client';
import type { RunParams } from './reconciliation-repo';

// Reading both sides of a reconciliation: the provider's statement and the ledger's movements.

// Rows per FETCH: a round trip per 20 000 rows, a few MiB of them in memory at a time.
const FETCH = 20_000;

// Keys in scope: any statement line or ledger movement of the period. Each side is then read
// whole for those keys, whatever its date, so a charge at 23:59 whose statement line is dated
// the next day still matches. Stored once per run in a temporary table (dropped at commit) with
// fresh statistics: as a CTE it was computed three times and estimated at 10 000 keys whatever
// its size, which planned a million index probes and sorts that spilled to disk.
const SCOPE_INSERT = `INSERT INTO recon_scope (provider, ref)
  SELECT provider, source_ref FROM statement_line
   WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR provider = $3)
  UNION
  SELECT provider, provider_ref FROM journal_entry
   WHERE occurred_at >= $1 AND occurred_at < $2 AND provider_ref IS NOT NULL AND provider IS NOT NULL
     AND kind <> 'dispute-lost' AND ($3::text IS NULL OR provider = $3)`;

const IN_SCOPE = (provider: string, ref: string) =>
  `EXISTS (SELECT 1 FROM recon_scope k WHERE k.provider = ${provider} AND k.ref = ${ref})`;

/** Fills the run's scope table; returns how many keys it holds (the run's expected total). */
async function storeScope(tx: Tx, args: unknown[]): Promise<number> {
  await tx.$executeRawUnsafe(
    'CREATE TEMP TABLE recon_scope (provider text NOT NULL, ref text NOT NULL) ON COMMIT DROP',
  );
  const n = await tx.$executeRawUnsafe(SCOPE_INSERT, ...args);
  await tx.$executeRawUnsafe('ANALYZE recon_scope');
  return n;
}

// Both sides are grouped and sorted by the same "C"-collated key (the byte order matching.ts
// compares by), so one sort gives both the groups and the order. Each row comes back as ONE
// text column (a JSON array): parsing 11 typed columns per row costs the client several times
// more than the row's JSON. Amounts travel as strings (exact), instants as epoch milliseconds.
const EPOCH_MS = (col: string) => `(extract(epoch FROM ${col}) * 1000)::bigint`;

const STATEMENT_SQL = `SELECT json_build_array(provider, type, ref, currency, gross::text, fee::text, net::text,
                         in_payout, payout_id, refs, ${EPOCH_MS('created_at')})::text AS j
FROM (
  SELECT s.provider COLLATE "C" AS provider, s.type COLLATE "C" AS type, s.source_ref COLLATE "C" AS ref,
         s.currency COLLATE "C" AS currency,
         sum(s.gross_minor)::bigint AS gross, sum(s.fee_minor)::bigint AS fee, sum(s.net_minor)::bigint AS net,
         bool_and(s.payout_id IS NOT NULL) AS in_payout, max(s.payout_id) AS payout_id,
         string_agg(s.reference, ',' ORDER BY s.reference) AS refs, min(s.created_at) AS created_at
  FROM statement_line s
  WHERE ${IN_SCOPE('s.provider', 's.source_ref')}
  GROUP BY 1, 2, 3, 4
) q
ORDER BY provider, type, ref, currency`;

/**
 * The ledger as the provider sees it, per entry kind: a donation and its fee are one
 * `payment` (gross = clearing debit, fee = fees debit); refund, payout: the clearing movement;
 * a dispute opening / win: the amount held / released (the provider takes the money when the
 * dispute opens, so the later `dispute-lost` entry has no provider movement of its own);
 * corrections: under the statement type they correct (ledger_correction).
 */
const LEDGER_MOVEMENTS = `
SELECT e.provider COLLATE "C" AS provider,
       (CASE e.kind WHEN 'donation' THEN 'payment' WHEN 'fee' THEN 'payment' WHEN 'refund' THEN 'refund'
                   WHEN 'dispute-opened' THEN 'dispute' WHEN 'dispute-won' THEN 'dispute-reversal'
                   WHEN 'payout' THEN 'payout' WHEN 'correction' THEN c.type END) COLLATE "C" AS type,
       e.provider_ref COLLATE "C" AS ref, l.currency COLLATE "C" AS currency,
       sum(CASE WHEN e.kind IN ('dispute-opened', 'dispute-won')
                THEN CASE WHEN l.account_type = 'disputes-held' THEN l.amount_minor ELSE 0 END
                WHEN l.account_type IN ('clearing', 'fees') THEN l.amount_minor ELSE 0 END)::bigint AS gross,
       sum(CASE WHEN l.account_type = 'fees' THEN l.amount_minor ELSE 0 END)::bigint AS fee,
       count(DISTINCT e.id) AS entries, max(e.fund) AS fund, min(e.occurred_at) AS occurred_at
FROM journal_entry e
JOIN journal_line l ON l.entry_id = e.id
LEFT JOIN ledger_correction c ON c.entry_id = e.id
WHERE e.provider_ref IS NOT NULL AND e.provider IS NOT NULL AND e.kind <> 'dispute-lost'`;

const LEDGER_SQL = `SELECT json_build_array(provider, type, ref, currency, gross::text, fee::text, entries,
                         fund, ${EPOCH_MS('occurred_at')})::text AS j
FROM (${LEDGER_MOVEMENTS}
  AND ${IN_SCOPE('e.provider', 'e.provider_ref')}
  GROUP BY 1, 2, 3, 4) q
WHERE q.type IS NOT NULL
ORDER BY provider, type, ref, currency`;

type StatementRow = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  boolean,
  string | null,
  string,
  number,
];

type LedgerRow = [string, string, string, string, string, string, number, string | null, number];

const iso = (ms: number) => new Date(ms).toISOString();

const toStatement = (j: string): StatementSide => {
  const r = JSON.parse(j) as StatementRow;
  return {
    provider: r[0],
    type: r[1],
    ref: r[2],
    currency: r[3],
    gross: toNumber(BigInt(r[4])),
    fee: toNumber(BigInt(r[5])),
    net: toNumber(BigInt(r[6])),
    inPayout: r[7],
    payoutId: r[8],
    references: r[9],
    createdAt: iso(r[10]),
  };
};

const toLedger = (j: string): LedgerSide => {
  const r = JSON.parse(j) as LedgerRow;
  return {
    provider: r[0],
    type: r[1],
    ref: r[2],
    currency: r[3],
    gross: toNumber(BigInt(r[4])),
    fee: toNumber(BigInt(r[5])),
    entries: r[6],
    fund: r[7],
    occurredAt: iso(r[8]),
  };
};

/** Rows of a server-side cursor, a FETCH a batch: never the whole result in memory. */
async function* cursor<T>(
  tx: Tx,
  name: string,
  sql: string,
  map: (json: string) => T,
): AsyncGenerator<T[]> {
  await tx.$executeRawUnsafe(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const rows = await tx.$queryRawUnsafe<{ j: string }[]>(`FETCH ${FETCH} FROM ${name}`);
    yield rows.map((row) => map(row.j));
    if (rows.length < FETCH) break;
  }
  await tx.$executeRawUnsafe(`CLOSE ${name}`);
}

/**
 * Both sides of a run's period, each in key order in batches (server-side cursors, read lazily), and how
 * many keys the run expects. Inside the run's transaction.
 */
export async function openRunSides(tx: Tx, params: RunParams) {
  const args = [params.from, params.to, params.provider];
  // Cursors are planned for the first 10% of rows by default (nested loops); this run reads
  // every row, so plan for all of them (hash joins, one sort). JIT compiling these plans cost
  // seconds and saved nothing. RUN_WORK_MEM keeps the statement side's sort of a million keys
  // in memory and the ledger's to one spill (a run is rare: one connection, for its length).
  await tx.$executeRawUnsafe('SET LOCAL cursor_tuple_fraction = 1.0');
  await tx.$executeRawUnsafe('SET LOCAL jit = off');
  await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${RUN_WORK_MEM}'`);
  const total = await storeScope(tx, args);
  return {
    total,
    statement: cursor(tx, 'recon_statement', STATEMENT_SQL, toStatement),
    ledger: cursor(tx, 'recon_ledger', LEDGER_SQL, toLedger),
  };
}

const RUN_WORK_MEM = '256MB';

/** The ledger's movement for one key now (to refuse a correction based on a stale run). */
export async function currentLedgerSide(
  tx: Tx,
  key: { provider: string; type: string; ref: string },
): Promise<{ currency: string; gross: number; fee: number }[]> {
  const rows = await tx.$queryRawUnsafe<{ currency: string; gross: bigint; fee: bigint }[]>(
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

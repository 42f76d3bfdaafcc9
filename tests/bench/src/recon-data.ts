// Data of the reconciliation and PDF paths, written straight into the ledger's database in SQL
// (once the generators of the retired per-service scripts): what is measured
// is the run and the report, not the loading.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/**
 * n donation entries (10 % PayPal) and a statement of n lines: 1 in 1000 missing at the provider,
 * 1 in 200 amounts off, 1 in 500 fees off, 1 in 1000 in EUR; Stripe lines in payouts of 10,000.
 * Triggers are off during the load only (the entries balance by construction).
 */
export async function generateStatementAndLedger(c: pg.Client, n: number): Promise<void> {
  await c.query('BEGIN');
  await c.query('SET LOCAL session_replication_role = replica');
  await c.query(
    `INSERT INTO journal_entry (id, seq, kind, idempotency_key, fund, channel, provider, provider_ref, description,
                                occurred_at, prev_hash, hash)
     SELECT gen_random_uuid(), g, 'donation', 'donation:bench-' || g, 'specialist-training', 'online',
            CASE WHEN g % 10 = 0 THEN 'paypal' ELSE 'stripe' END, 'ch_b' || lpad(g::text, 8, '0'), 'Donation',
            timestamptz '2025-01-01' + g * interval '2 seconds', md5(g::text) || md5(g::text),
            md5((g + 1)::text) || md5(g::text)
     FROM generate_series(1, $1::int) g`,
    [n],
  );
  await c.query(
    `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor)
     SELECT id, 1, 'clearing:' || provider || ':BYN', 'clearing', NULL, 'BYN', 1000 + seq % 5000 FROM journal_entry
     UNION ALL
     SELECT id, 2, 'fund:specialist-training:BYN', 'fund', 'specialist-training', 'BYN', -(1000 + seq % 5000) FROM journal_entry`,
  );
  await c.query(
    `UPDATE ledger_chain_head SET seq = $1::bigint, hash = md5(($1::bigint + 1)::text) || md5($1::bigint::text) WHERE id = 1`,
    [n],
  );
  await c.query(
    `INSERT INTO statement_line (provider, reference, source_ref, type, gross_minor, fee_minor, net_minor, currency,
                                 created_at, available_on, payout_id, import_id)
     SELECT provider, 'txn_b' || g, ref, 'payment', gross, fee, gross - fee, cur, at, at + interval '2 days',
            CASE WHEN provider = 'stripe' AND g % 50 <> 1 THEN 'po_b' || (g / 10000) END, gen_random_uuid()
     FROM (
       SELECT g, CASE WHEN g % 10 = 0 THEN 'paypal' ELSE 'stripe' END AS provider,
              CASE WHEN g % 1000 = 7 THEN 'ch_ghost' || g ELSE 'ch_b' || lpad(g::text, 8, '0') END AS ref,
              1000 + g % 5000 + CASE WHEN g % 200 = 3 THEN 100 ELSE 0 END AS gross,
              CASE WHEN g % 500 = 11 THEN 30 ELSE 0 END AS fee,
              CASE WHEN g % 1000 = 13 THEN 'EUR' ELSE 'BYN' END AS cur,
              timestamptz '2025-01-01' + g * interval '2 seconds' + interval '1 second' AS at
       FROM generate_series(1, $1::int) g
     ) x`,
    [n],
  );
  await c.query(
    `INSERT INTO provider_payout (provider, payout_id, amount_minor, currency, status, created_at, arrival_date, import_id)
     SELECT 'stripe', payout_id, sum(net_minor), 'BYN', 'paid', max(created_at), max(created_at) + interval '1 day', gen_random_uuid()
     FROM statement_line WHERE payout_id IS NOT NULL AND currency = 'BYN' GROUP BY payout_id`,
  );
  await c.query('COMMIT');
  await c.query('ANALYZE');
}

/** The period covering every generated line and entry. */
export function generatedPeriod(n: number): { from: string; to: string } {
  const from = Date.parse('2025-01-01T00:00:00Z');
  return {
    from: new Date(from).toISOString(),
    to: new Date(from + (n * 2 + 10) * 1000).toISOString(),
  };
}

/** What a COPY of both sides of that reconciliation reads (the baseline's queries). */
export const RECONCILIATION_SIDES = [
  `SELECT * FROM statement_line`,
  `SELECT e.id, e.provider, e.provider_ref, e.occurred_at, l.line_no, l.account, l.currency, l.amount_minor
     FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id`,
];

/** A completed run of `lines` lines, `discrepancies` of them amount mismatches; its id. */
export async function generateCompletedRun(
  c: pg.Client,
  lines: number,
  discrepancies: number,
): Promise<string> {
  const id = randomUUID();
  const every = Math.max(1, Math.floor(lines / discrepancies));
  await c.query(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, summary, finished_at)
     VALUES ($1::uuid, '2025-01-01', '2025-02-01', 'completed', $2, now())`,
    [
      id,
      JSON.stringify({
        lines,
        discrepancies,
        counts: { matched: lines - discrepancies, 'amount-mismatch': discrepancies },
      }),
    ],
  );
  const mismatch = 'g % $3::int = 0 AND g / $3::int <= $4::int';
  await c.query(
    `INSERT INTO reconciliation_line (run_id, line_no, provider, type, ref, status, statement_currency,
       statement_gross, statement_fee, statement_net, statement_refs, ledger_currency, ledger_gross, ledger_fee,
       ledger_entries, fund, occurred_at, detail)
     SELECT $1::uuid, g, 'stripe', 'payment', 'ch_bench' || lpad(g::text, 8, '0'),
            CASE WHEN ${mismatch} THEN 'amount-mismatch' ELSE 'matched' END,
            'BYN', 1100, 30, 1070, 'txn_bench' || g, 'BYN',
            CASE WHEN ${mismatch} THEN 1000 ELSE 1100 END, 30, 1,
            'specialist-training', timestamptz '2025-01-01' + g * interval '10 seconds',
            CASE WHEN ${mismatch}
                 THEN 'the provider reports 11.00 BYN gross, the ledger 10.00 BYN' ELSE 'matched' END
     FROM generate_series(1, $2::int) g`,
    [id, lines, every, discrepancies],
  );
  await c.query('ANALYZE reconciliation_line');
  return id;
}

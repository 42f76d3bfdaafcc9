// Reconciliation at scale: BENCH_LINES statement lines (default 1,000,000) against as many
// ledger entries, generated directly in SQL, then a run (streamed merge join), the reconciliation
// CSV export, and the PDF of the run (~1% of lines are discrepancies: ~10,000 at 1M).
// Prints wall time and this process' peak RSS for each step.
//   npm run bench:reconcile -w @bfi/pledge-ledger           (PG_ADMIN_URL; a throw-away database)
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { createPrisma, createTestDatabase } from '@bfi/db';
import { PrismaClient, type Db } from '../src/db/client';
import { reconciliationCsv } from '../src/reconciliation/app/exports';
import { renderReport } from '../src/reconciliation/app/pdf';
import { reconcile } from '../src/reconciliation/app/run-reconciliation';

const N = Number(process.env.BENCH_LINES ?? 1_000_000);
const migrationsDir = path.join(__dirname, '..', 'src', 'db', 'migrations');

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  peak = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(`${name.padEnd(44)} ${s.toFixed(1).padStart(7)} s   peak RSS ${mb(peak)}`);
  return result;
}

/**
 * Ledger: N donation entries (clearing / fund), 10% PayPal. Statement: one charge line per
 * donation except 1 in 1000 (missing at provider), plus as many lines the ledger never saw;
 * 1 in 200 amounts off, 1 in 500 fees off, 1 in 1000 in EUR; Stripe lines in payouts of
 * 10,000 except 1 in 50 (in transit). Triggers are off during the load only (the generated
 * entries balance by construction; the hash chain is not what this measures).
 */
async function generate(db: Db): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await tx.$executeRawUnsafe(
        `INSERT INTO journal_entry (id, seq, kind, idempotency_key, fund, channel, provider, provider_ref, description,
                                    occurred_at, prev_hash, hash)
         SELECT gen_random_uuid(), g, 'donation', 'donation:bench-' || g, 'specialist-training', 'online',
                CASE WHEN g % 10 = 0 THEN 'paypal' ELSE 'stripe' END, 'ch_b' || lpad(g::text, 8, '0'), 'Donation',
                timestamptz '2025-01-01' + g * interval '2 seconds', md5(g::text) || md5(g::text),
                md5((g + 1)::text) || md5(g::text)
         FROM generate_series(1, $1::int) g`,
        N,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO journal_line (entry_id, line_no, account, account_type, fund, currency, amount_minor)
         SELECT id, 1, 'clearing:' || provider || ':BYN', 'clearing', NULL, 'BYN', 1000 + seq % 5000 FROM journal_entry
         UNION ALL
         SELECT id, 2, 'fund:specialist-training:BYN', 'fund', 'specialist-training', 'BYN', -(1000 + seq % 5000) FROM journal_entry`,
      );
      await tx.$executeRawUnsafe(
        `UPDATE ledger_chain_head SET seq = $1::bigint, hash = md5(($1::bigint + 1)::text) || md5($1::bigint::text) WHERE id = 1`,
        N,
      );
      await tx.$executeRawUnsafe(
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
        N,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO provider_payout (provider, payout_id, amount_minor, currency, status, created_at, arrival_date, import_id)
         SELECT 'stripe', payout_id, sum(net_minor), 'BYN', 'paid', max(created_at), max(created_at) + interval '1 day', gen_random_uuid()
         FROM statement_line WHERE payout_id IS NOT NULL AND currency = 'BYN' GROUP BY payout_id`,
      );
    },
    { timeout: 3600_000 },
  );
  await db.$executeRawUnsafe('ANALYZE');
}

async function main(): Promise<void> {
  console.log(
    `reconciliation bench: ${N.toLocaleString('en')} statement lines vs ${N.toLocaleString('en')} ledger entries`,
  );
  const database = await createTestDatabase({ prefix: 'bench_recon', migrationsDir });
  const db = createPrisma(PrismaClient, database.url);
  try {
    await step('generate data in SQL', () => generate(db));
    const to = new Date(Date.parse('2025-01-01T00:00:00Z') + (N * 2 + 10) * 1000);
    const run = await step('reconciliation run (stream, classify, store)', () =>
      reconcile(
        db,
        { from: new Date('2025-01-01T00:00:00Z'), to, provider: null, createdBy: 'bench' },
        (p) => {
          if (p.phase === 'matching' && p.processed % 200_000 === 0)
            process.stderr.write(`  ${p.processed.toLocaleString('en')} keys\n`);
        },
      ),
    );
    console.log(`  lines ${run.summary?.lines}, ${JSON.stringify(run.summary?.counts)}`);
    await step('reconciliation CSV export (to /dev/null)', () =>
      pipeline(reconciliationCsv(db, run.id), createWriteStream('/dev/null')),
    );
    const pdfPath = path.join(os.tmpdir(), `bench-recon-${run.id}.pdf`);
    const pdf = await step(`PDF report (${run.summary?.discrepancies} discrepancy lines)`, () =>
      renderReport(db, { runId: run.id }, createWriteStream(pdfPath)),
    );
    console.log(`  ${pdf.pages} pages, ${pdf.discrepancies} discrepancy rows -> ${pdfPath}`);
  } finally {
    clearInterval(sampler);
    await db.$disconnect();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

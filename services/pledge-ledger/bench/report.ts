// The finance PDF of a big run, alone: a completed run with BENCH_DISCREPANCIES discrepancy lines
// (default 10,000) among BENCH_LINES lines (default 100,000), written straight into a throw-away
// database, then `report.pdf` rendered to a file. Prints wall time, this process' peak RSS, the
// time to the first PDF byte and the longest event-loop stall while rendering (in the embedded
// run the three services share this loop).
//   npm run bench:report -w @bfi/pledge-ledger           (PG_ADMIN_URL; a throw-away database)
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import { createPrisma, createTestDatabase } from '@bfi/db';
import { PrismaClient, type Db } from '../src/db/client';
import { findRun } from '../src/reconciliation/db/reconciliation-repo';
import { renderReport } from '../src/reconciliation/app/pdf';
import { runCsvSha256 } from '../src/reconciliation/app/runs';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const DISCREPANCIES = Number(process.env.BENCH_DISCREPANCIES ?? 10_000);
const migrationsDir = path.join(__dirname, '..', 'src', 'db', 'migrations');
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

/** A completed run whose every (LINES / DISCREPANCIES)-th line is an amount mismatch. */
async function generate(db: Db): Promise<string> {
  const id = randomUUID();
  const every = Math.max(1, Math.floor(LINES / DISCREPANCIES));
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, summary, finished_at)
     VALUES ($1::uuid, '2025-01-01', '2025-02-01', 'completed', $2, now())`,
    id,
    JSON.stringify({
      lines: LINES,
      discrepancies: DISCREPANCIES,
      counts: { matched: LINES - DISCREPANCIES, 'amount-mismatch': DISCREPANCIES },
    }),
  );
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_line (run_id, line_no, provider, type, ref, status, statement_currency,
       statement_gross, statement_fee, statement_net, statement_refs, ledger_currency, ledger_gross, ledger_fee,
       ledger_entries, fund, occurred_at, detail)
     SELECT $1::uuid, g, 'stripe', 'payment', 'ch_bench' || lpad(g::text, 8, '0'),
            CASE WHEN g % $3::int = 0 AND g / $3::int <= $4::int THEN 'amount-mismatch' ELSE 'matched' END,
            'BYN', 1100, 30, 1070, 'txn_bench' || g, 'BYN',
            CASE WHEN g % $3::int = 0 AND g / $3::int <= $4::int THEN 1000 ELSE 1100 END, 30, 1,
            'specialist-training', timestamptz '2025-01-01' + g * interval '10 seconds',
            CASE WHEN g % $3::int = 0 AND g / $3::int <= $4::int
                 THEN 'the provider reports 11.00 BYN gross, the ledger 10.00 BYN' ELSE 'matched' END
     FROM generate_series(1, $2::int) g`,
    id,
    LINES,
    every,
    DISCREPANCIES,
  );
  await db.$executeRawUnsafe('ANALYZE reconciliation_line');
  return id;
}

async function main(): Promise<void> {
  console.log(
    `report bench: ${DISCREPANCIES.toLocaleString('en')} discrepancy lines among ${LINES.toLocaleString('en')}`,
  );
  const database = await createTestDatabase({ prefix: 'bench_report', migrationsDir });
  const db = createPrisma(PrismaClient, database.url);
  try {
    const runId = await generate(db);
    // What a run does once as it completes (a run that completes through the product stores it).
    const h0 = process.hrtime.bigint();
    await runCsvSha256(db, (await findRun(db, runId))!);
    const hashSeconds = Number(process.hrtime.bigint() - h0) / 1e9;
    console.log(`CSV SHA-256, once per run   ${hashSeconds.toFixed(1).padStart(6)} s`);
    const file = path.join(os.tmpdir(), `bench-report-${runId}.pdf`);
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const t0 = process.hrtime.bigint();
    let firstByte: number | null = null;
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        firstByte ??= Number(process.hrtime.bigint() - t0) / 1e9;
        bytes += chunk.length;
        cb(null, chunk);
      },
    });
    meter.pipe(createWriteStream(file));
    loop.enable();
    const result = await renderReport(db, { runId }, meter);
    loop.disable();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`PDF report                 ${seconds.toFixed(1).padStart(7)} s`);
    console.log(`  first byte after         ${(firstByte ?? seconds).toFixed(2).padStart(7)} s`);
    console.log(`  peak RSS ${mb(peak)} (before: ${mb(rssBefore)}, +${mb(peak - rssBefore)})`);
    console.log(`  longest event-loop stall ${(loop.max / 1e6).toFixed(0).padStart(7)} ms`);
    console.log(
      `  ${result.pages} pages, ${result.discrepancies} discrepancy rows printed, ${mb(bytes)} -> ${file}`,
    );
  } finally {
    await db.$disconnect();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

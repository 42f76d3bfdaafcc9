// Finance report from the command line:
//   npm run report -w @bfi/pledge-ledger -- --from 2025-03-01 --to 2025-04-01 [--provider stripe]
//        [--fund specialist-training] [--out ./reports] [--run <existing run id>]
// Runs a reconciliation of the period (unless --run names one), then writes the reconciliation
// CSV, the journal CSV, the fund totals CSV and the PDF report to --out. Progress goes to stderr.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createPrisma } from '@bfi/db';
import { PeriodSchema } from '@bfi/http';
import { loadPledgeLedgerConfig } from '../config';
import { PrismaClient, type Db } from '../db/client';
import { findRun, type RunView } from '../reconciliation/db/reconciliation-repo';
import { fundTotalsCsv, journalCsv, reconciliationCsv } from '../reconciliation/app/exports';
import { renderReport } from '../reconciliation/app/pdf';
import { reconcile as runReconciliation } from '../reconciliation/app/run-reconciliation';

const USAGE =
  'usage: report --from YYYY-MM-DD --to YYYY-MM-DD [--provider stripe|paypal] [--fund slug] [--out dir] [--run runId]';

/** --from/--to through the service's one period check (@bfi/http PeriodSchema, as the API). */
function period(args: Record<string, string | undefined>): { from: Date; to: Date } {
  const parsed = PeriodSchema.safeParse({ from: args.from ?? '', to: args.to ?? '' });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
  throw new Error(`${problems.join('\n')}\n${USAGE}`);
}

const started = Date.now();
function progress(message: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`[${s.padStart(6)} s] ${message}\n`);
}

async function toFile(stream: Readable, file: string): Promise<string> {
  await pipeline(stream, createWriteStream(file));
  return file;
}

async function reconcile(db: Db, args: Record<string, string | undefined>): Promise<RunView> {
  if (args.run) {
    const run = await findRun(db, args.run);
    if (!run) throw new Error(`there is no reconciliation run ${args.run}`);
    return run;
  }
  const { from, to } = period(args);
  const provider = args.provider ?? null;
  if (provider !== null && provider !== 'stripe' && provider !== 'paypal')
    throw new Error('--provider must be stripe or paypal');
  progress(
    `reconciling ${from.toISOString()} .. ${to.toISOString()} (${provider ?? 'all providers'})`,
  );
  return runReconciliation(db, { from, to, provider, createdBy: 'cli' }, (p) => {
    if (p.phase === 'matching') progress(`matched ${p.processed.toLocaleString('en')} keys`);
    if (p.phase === 'payouts')
      progress(`classified ${p.processed.toLocaleString('en')} keys; checking payouts`);
  });
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      provider: { type: 'string' },
      fund: { type: 'string' },
      out: { type: 'string', default: 'reports' },
      run: { type: 'string' },
    },
  });
  const config = loadPledgeLedgerConfig();
  const db = createPrisma(PrismaClient, config.databaseUrl);
  try {
    const run = await reconcile(db, values);
    progress(`run ${run.id}: ${JSON.stringify(run.summary?.counts ?? {})}`);
    const out = path.resolve(values.out ?? 'reports');
    await mkdir(out, { recursive: true });
    const period = { from: new Date(run.from), to: new Date(run.to) };
    const files = [
      await toFile(reconciliationCsv(db, run.id), path.join(out, `reconciliation-${run.id}.csv`)),
      await toFile(
        journalCsv(db, { ...period, fund: values.fund }),
        path.join(out, `journal-${run.from.slice(0, 10)}-${run.to.slice(0, 10)}.csv`),
      ),
      await toFile(
        fundTotalsCsv(db, { ...period, groupBy: 'currency', fund: values.fund }),
        path.join(out, `fund-totals-${run.from.slice(0, 10)}-${run.to.slice(0, 10)}.csv`),
      ),
    ];
    progress('CSV files written; rendering the PDF');
    const pdfFile = path.join(out, `reconciliation-${run.id}.pdf`);
    const pdf = await renderReport(
      db,
      {
        runId: run.id,
        fund: values.fund,
        onProgress: (n) => {
          if (n > 0 && n % 500 === 0) progress(`PDF: ${n.toLocaleString('en')} discrepancy rows`);
        },
      },
      createWriteStream(pdfFile),
    );
    files.push(pdfFile);
    progress(
      `PDF: ${pdf.pages} pages, ${pdf.discrepancies} discrepancies, CSV sha256 ${pdf.csvSha256}`,
    );
    for (const f of files) process.stdout.write(`${f}\n`);
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

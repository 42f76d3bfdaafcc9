// Reconciliation and finance PDF paths, through the pledge-ledger process's own HTTP API (the
// e2e spawner), on data generated in SQL in its database. Baselines: psql's `COPY … TO STDOUT`
// of the same rows (both sides), and pdfkit laying out a plain table of the same size.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey, hashApiKey } from '@bfi/http';
import { ledgerProcess } from './ledger';
import { withDb } from './load';
import { plainTableSeconds } from './pdf-baseline';
import { dropDatabases, type Scale } from './pipeline';
import { scrape } from './metrics';
import { MiB, peakRss } from './proc';
import {
  generateCompletedRun,
  generatedPeriod,
  generateStatementAndLedger,
  RECONCILIATION_SIDES,
} from './recon-data';
import { freePort, type ServiceProcess, sharedInfra } from './spawner';
import type { Figure } from './table';

const PDF_ROWS = 10_000;

/** Seconds psql takes to COPY the query's rows to /dev/null; null when psql is missing. */
function copySeconds(url: string, query: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY (${query}) TO STDOUT`, url],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', () => resolve(null));
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`psql: ${err}`)),
    );
  });
}

async function timedRun(ledger: ServiceProcess, key: string, n: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${ledger.url}/reconciliation/runs`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      prefer: 'respond-async',
    },
    body: JSON.stringify({ ...generatedPeriod(n), provider: null }),
  });
  if (res.status !== 202)
    throw new Error(`POST /reconciliation/runs → ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const run = (await (
      await fetch(`${ledger.url}/reconciliation/runs/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as { status: string };
    if (run.status === 'completed') return (performance.now() - t0) / 1000;
    if (run.status !== 'running') throw new Error(`reconciliation run ${id} ended ${run.status}`);
  }
}

/** Seconds to the PDF's first and last byte. */
async function timedPdf(
  ledger: ServiceProcess,
  key: string,
  runId: string,
): Promise<{ seconds: number; firstByte: number }> {
  const t0 = performance.now();
  const res = await fetch(`${ledger.url}/reconciliation/runs/${runId}/report.pdf`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (res.status !== 200) throw new Error(`report.pdf → ${res.status}: ${await res.text()}`);
  let firstByte: number | null = null;
  for await (const chunk of res.body!) {
    if (firstByte === null && (chunk as Uint8Array).length > 0) firstByte = performance.now();
  }
  const end = performance.now();
  return { seconds: (end - t0) / 1000, firstByte: ((firstByte ?? end) - t0) / 1000 };
}

/** prom-client's default gauge: the longest event-loop delay since the previous scrape. */
const LOOP_LAG_MAX = 'nodejs_eventloop_lag_max_seconds';

const mib = (b: number | null) => (b === null ? null : b / MiB);

async function reconciliation(ledger: ServiceProcess, url: string, key: string, scale: Scale) {
  const n = scale.quick ? 100_000 : 1_000_000;
  scale.log(
    `reconciliation: generating ${n.toLocaleString('en')} × ${n.toLocaleString('en')} in SQL`,
  );
  await withDb(url, (c) => generateStatementAndLedger(c, n));
  await ledger.start();
  scale.log('reconciliation: run');
  const seconds = await timedRun(ledger, key, n);
  const rss = mib(peakRss(ledger.pid));
  const copies: (number | null)[] = [];
  for (const side of RECONCILIATION_SIDES) copies.push(await copySeconds(url, side));
  const copy = copies.some((c) => c === null) ? null : copies.reduce((s, v) => s! + v!, 0);
  await ledger.stop();
  const size = `${n.toLocaleString('en')} statement lines × ${n.toLocaleString('en')} entries`;
  return [
    {
      path: 'reconciliation: time',
      value: seconds,
      unit: 's',
      baseline: copy === null ? 'COPY … TO (psql missing)' : 'COPY … TO STDOUT of both sides',
      baselineValue: copy,
      goal: scale.quick ? '≤ 15 s at 1 M (here smaller)' : '≤ 15 s',
      note: `${size}, POST /reconciliation/runs until completed`,
    },
    {
      path: 'reconciliation: peak RSS',
      value: rss,
      unit: 'MiB',
      baseline: null,
      baselineValue: null,
      goal: '≤ 1 GiB',
      note: `VmHWM of the pledge-ledger process (started for the run, boot included); ${size}`,
    },
  ] satisfies Figure[];
}

/** How the PDF streams: its first byte, and how long the ledger's event loop stalled meanwhile. */
function streamed(firstByte: number, stall: number | null): Figure[] {
  return [
    {
      path: 'finance PDF: first byte',
      value: firstByte,
      unit: 's',
      baseline: null,
      baselineValue: null,
      goal: 'printed (streamed)',
      note: 'the same request, to its first body byte',
    },
    {
      path: 'finance PDF: longest event-loop stall',
      value: stall === null ? null : stall * 1000,
      unit: 'ms',
      baseline: null,
      baselineValue: null,
      goal: 'printed (other requests do not stall)',
      note: `the ledger process's ${LOOP_LAG_MAX} (GET /metrics) over that request`,
    },
  ];
}

async function pdf(ledger: ServiceProcess, url: string, key: string, scale: Scale) {
  const lines = scale.quick ? 20_000 : 100_000;
  const runId = await withDb(url, (c) => generateCompletedRun(c, lines, PDF_ROWS));
  await ledger.start();
  scale.log(`finance PDF: ${PDF_ROWS} discrepancy rows among ${lines} lines`);
  // The generated run has no stored CSV digest, as a run completed before it was stored: its
  // first PDF computes it once (a full CSV) and keeps it. Every run the service completes has
  // it already, which the second PDF shows.
  const first = (await timedPdf(ledger, key, runId)).seconds;
  await scrape(ledger.url, LOOP_LAG_MAX); // a scrape resets the gauge's window
  const { seconds, firstByte } = await timedPdf(ledger, key, runId);
  const stall = await scrape(ledger.url, LOOP_LAG_MAX);
  const rss = mib(peakRss(ledger.pid));
  await ledger.stop();
  const plain = await plainTableSeconds(PDF_ROWS);
  return [
    {
      path: 'finance PDF: 10,000 discrepancy rows',
      value: seconds,
      unit: 's',
      baseline: 'pdfkit, plain table of as many rows',
      baselineValue: plain.seconds,
      goal: '≤ 2 s',
      note: `GET /reconciliation/runs/:id/report.pdf to the last byte; run of ${lines.toLocaleString('en')} lines, its CSV's SHA-256 stored with it`,
    },
    ...streamed(firstByte, stall),
    {
      path: 'finance PDF: first of a run without a stored CSV digest',
      value: first,
      unit: 's',
      baseline: 'the PDF with the digest stored',
      baselineValue: seconds,
      goal: 'once per run completed before the digest was stored',
      note: 'computes the SHA-256 of the whole lines.csv (streamed) and stores it with the run',
    },
    {
      path: 'finance PDF: peak RSS',
      value: rss,
      unit: 'MiB',
      baseline: null,
      baselineValue: null,
      goal: 'bounded whatever the run size',
      note: 'VmHWM of the pledge-ledger process (started for the PDF, boot included)',
    },
  ] satisfies Figure[];
}

export async function benchReconciliation(scale: Scale): Promise<Figure[]> {
  const infra = sharedInfra();
  const url = await infra.pg.createDatabase(`bench_recon_${randomUUID().slice(0, 8)}`);
  const key = generateApiKey();
  const apiKeys = [
    { id: 'bench-finance', name: 'Bench finance', role: 'finance', sha256: hashApiKey(key) },
  ];
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-bench-recon-'));
  const ledger = ledgerProcess(
    {
      KAFKA_BROKERS: infra.kafka.brokers,
      TOPIC_NAMESPACE: `bench${randomUUID().slice(0, 8)}.`,
      DATABASE_URL: url,
      API_KEYS: JSON.stringify(apiKeys),
    },
    await freePort(),
    logDir,
  );
  try {
    // First start: migrations make the schema the generators write into.
    await ledger.start();
    await ledger.stop();
    const figures = await reconciliation(ledger, url, key, scale);
    return [...figures, ...(await pdf(ledger, url, key, scale))];
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${ledger.logTail()}`);
  } finally {
    await ledger.stop();
    await dropDatabases(infra.pg.adminUrl, [url]);
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

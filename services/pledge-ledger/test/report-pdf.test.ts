import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import type { Db } from '../src/db/client';
import { MAX_REPORT_DISCREPANCIES, printAmount } from '../src/reconciliation/app/pdf';
import { openLedgerApp, pdfParse, type LedgerApp } from './app';
import { FINANCE_KEY } from './helpers';

// The finance PDF over real HTTP on a real PostgreSQL: a run with more discrepancies than the
// table prints shows the largest ones, says how many more there are and where, and prints the
// totals of all of them, which are the sums of the run's CSV; the report is drawn in a thread
// of its own, so the service answers other requests meanwhile and survives a cancelled one.

const auth = { authorization: `Bearer ${FINANCE_KEY}` };
let world: LedgerApp;
let db: Db;
let server: Server;
let base: string;

beforeAll(async () => {
  world = await openLedgerApp('ledger_report_pdf');
  db = world.db;
  server = world.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await world.close();
});

const EXTRA = 250;

/**
 * A completed run of cap + EXTRA discrepancies written straight into the tables: amount
 * mismatches whose provider gross exceeds the ledger's by g minor units (line g), every fifth
 * line a missing-in-ledger of 20.00 BYN, and as many matched lines that the report must not sum.
 */
async function bigRun(): Promise<string> {
  const count = MAX_REPORT_DISCREPANCIES + EXTRA;
  const id = randomUUID();
  const counts = { 'amount-mismatch': count - count / 5, 'missing-in-ledger': count / 5 };
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, summary, finished_at)
     VALUES ($1::uuid, '2025-01-01', '2025-02-01', 'completed', $2, now())`,
    id,
    JSON.stringify({
      lines: 2 * count,
      discrepancies: count,
      counts: { ...counts, matched: count },
    }),
  );
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_line (run_id, line_no, provider, type, ref, status, statement_currency,
       statement_gross, statement_fee, statement_net, ledger_currency, ledger_gross, ledger_fee, fund, detail)
     SELECT $1::uuid, g, 'stripe', 'payment', 'ch_p' || lpad(g::text, 6, '0'),
            CASE WHEN g > $2::int THEN 'matched' WHEN g % 5 = 0 THEN 'missing-in-ledger' ELSE 'amount-mismatch' END,
            'BYN', CASE WHEN g % 5 = 0 AND g <= $2::int THEN 2000 ELSE 100000 + g END, 30, 99970 + g,
            CASE WHEN g % 5 = 0 AND g <= $2::int THEN NULL ELSE 'BYN' END,
            CASE WHEN g > $2::int THEN 100000 + g WHEN g % 5 = 0 THEN NULL ELSE 100000 END,
            CASE WHEN g % 5 = 0 AND g <= $2::int THEN NULL ELSE 30 END,
            'specialist-training', 'gross differs'
     FROM generate_series(1, 2 * $2::int) g`,
    id,
    count,
  );
  return id;
}

async function download(path: string): Promise<Buffer> {
  const res = await fetch(`${base}${path}`, { headers: auth });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** A download read by hand: paused or cut at will. */
function open(path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get(`${base}${path}`, { headers: auth }, resolve).on('error', reject);
  });
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('report.pdf of a run with more discrepancies than the table prints', () => {
  let runId: string;
  let text: string;
  let numpages: number;

  beforeAll(async () => {
    runId = await bigRun();
    ({ text, numpages } = await pdfParse(
      await download(`/reconciliation/runs/${runId}/report.pdf`),
    ));
  });

  it('prints the largest discrepancies and a line pointing to the CSV for the rest', () => {
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(`...and${EXTRA}more:seetheCSVexport.`);
    expect(flat).toContain(`GET/reconciliation/runs/${runId}/lines.csv`);
    expect(text).toContain(`Discrepancies: the ${MAX_REPORT_DISCREPANCIES} largest`);
    // The missing lines weigh 20.00 BYN, more than any mismatch: all of them are printed;
    // the mismatches from the largest down, and the smallest ones are left to the CSV.
    const count = MAX_REPORT_DISCREPANCIES + EXTRA;
    expect(text).toContain('ch_p000005');
    expect(text).toContain(`ch_p${String(count - 1).padStart(6, '0')}`);
    expect(text).not.toContain('ch_p000001');
    expect(text).toContain(`Page ${numpages} of ${numpages}`);
  });

  it('prints the totals of every discrepancy, equal to the sums of the CSV', async () => {
    const csv = parse((await download(`/reconciliation/runs/${runId}/lines.csv`)).toString(), {
      columns: true,
    }) as Record<string, string>[];
    const sums = new Map<
      string,
      { lines: number; statement: number; ledger: number; diff: number }
    >();
    for (const l of csv.filter((r) => r.status !== 'matched')) {
      const s = sums.get(l.status!) ?? { lines: 0, statement: 0, ledger: 0, diff: 0 };
      s.lines += 1;
      s.statement += Number(l.statement_gross_minor || 0);
      s.ledger += Number(l.ledger_gross_minor || 0);
      s.diff += Number(l.gross_difference_minor || 0);
      sums.set(l.status!, s);
    }
    expect([...sums.keys()].sort()).toEqual(['amount-mismatch', 'missing-in-ledger']);
    // A row of the totals table: status, lines, provider gross, ledger gross, gross and fee
    // difference (none where the ledger side is missing).
    const flat = text.replace(/\s+/g, '');
    const row = (cells: string[]) => cells.join('').replace(/\s+/g, '');
    const mismatch = sums.get('amount-mismatch')!;
    expect(flat).toContain(
      row([
        'amount-mismatch',
        mismatch.lines.toLocaleString('en'),
        printAmount(mismatch.statement, 'BYN'),
        printAmount(mismatch.ledger, 'BYN'),
        printAmount(mismatch.diff, 'BYN'),
        printAmount(0, 'BYN'),
      ]),
    );
    const missing = sums.get('missing-in-ledger')!;
    expect(missing.statement).toBe(missing.lines * 2000);
    expect(flat).toContain(
      row(['missing-in-ledger', String(missing.lines), printAmount(missing.statement, 'BYN')]),
    );
  });
});

describe('report.pdf and the rest of the service', () => {
  let runId: string;
  beforeAll(async () => (runId = await bigRun()));

  it('answers another request while a report is drawn, in a thread of its own', async () => {
    const res = await open(`/reconciliation/runs/${runId}/report.pdf`);
    expect(res.statusCode).toBe(200);
    const order: string[] = [];
    const pdf = (async () => {
      for await (const _ of res);
      order.push('pdf');
    })();
    // Asked for as the report's first bytes arrive: answered while its thread still draws.
    const busy = await metric('reconciliation_pdf_threads', 'state="busy"');
    order.push('metrics');
    await pdf;
    expect(order).toEqual(['metrics', 'pdf']);
    expect(busy).toBe(1);
    expect(await metric('reconciliation_pdf_threads', 'state="busy"')).toBe(0);
  });

  it('keeps serving after a download is cancelled halfway', async () => {
    const res = await open(`/reconciliation/runs/${runId}/report.pdf`);
    expect(res.statusCode).toBe(200);
    await once(res, 'data');
    res.destroy();
    // The cancelled report's thread ends; the next report is drawn whole.
    const pdf = await download(`/reconciliation/runs/${runId}/report.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    expect((await fetch(`${base}/reconciliation/runs/${runId}`, { headers: auth })).status).toBe(
      200,
    );
    expect(await metric('reconciliation_pdf_threads', 'state="busy"')).toBe(0);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { MAX_REPORT_DISCREPANCIES, reportStream } from '../src/reconciliation/app/pdf';
import { binary, openLedgerApp, pdfParse, type LedgerApp } from './app';
import { DonationEvents, FINANCE_KEY, money } from './helpers';

// report.pdf of a big run: drawn only as fast as it is read (bounded memory), the discrepancy
// table capped (the largest; equal ones in line order) with a pointer to the CSV; and names in
// Cyrillic come out as written.

const finance = { authorization: `Bearer ${FINANCE_KEY}` };
let world: LedgerApp;
let db: Db;
let app: LedgerApp['app'];

beforeAll(async () => {
  world = await openLedgerApp('ledger_report_stream');
  ({ db, app } = world);
});

afterAll(() => world.close());

/** A completed run of `count` amount mismatches, written straight into the tables. */
async function bigRun(count: number): Promise<string> {
  const id = randomUUID();
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_run (id, period_from, period_to, status, summary, finished_at)
     VALUES ($1::uuid, '2025-01-01', '2025-02-01', 'completed', $2, now())`,
    id,
    JSON.stringify({ lines: count, discrepancies: count, counts: { 'amount-mismatch': count } }),
  );
  await db.$executeRawUnsafe(
    `INSERT INTO reconciliation_line (run_id, line_no, provider, type, ref, status, statement_currency,
       statement_gross, statement_fee, statement_net, ledger_currency, ledger_gross, ledger_fee, fund, detail)
     SELECT $1::uuid, g, 'stripe', 'payment', 'ch_t' || lpad(g::text, 6, '0'), 'amount-mismatch', 'BYN',
            1100, 30, 1070, 'BYN', 1000, 30, 'specialist-training', 'gross differs'
     FROM generate_series(1, $2::int) g`,
    id,
    count,
  );
  return id;
}

describe('report.pdf of a big run', () => {
  it('is drawn only as fast as it is read, and prints at most the capped number of rows', async () => {
    const total = MAX_REPORT_DISCREPANCIES + 1000;
    const runId = await bigRun(total);
    let drawn = 0;
    const pdf = reportStream(db, { runId, onProgress: (n) => (drawn = n) });

    // Nobody reads: the stream fills its small buffer and the rendering waits.
    let settled = -1;
    while (settled !== drawn) {
      settled = drawn;
      await sleep(300);
    }
    expect(pdf.readableLength).toBeLessThanOrEqual(pdf.readableHighWaterMark * 2);
    expect(drawn).toBeLessThan(MAX_REPORT_DISCREPANCIES / 2);

    const bytes = await buffer(pdf);
    expect(drawn).toBe(MAX_REPORT_DISCREPANCIES);
    const { text, numpages } = await pdfParse(bytes);
    expect(numpages).toBeLessThan(20);
    expect(text).toContain(`Page 1 of ${numpages}`);
    expect(text).toContain(`Page ${numpages} of ${numpages}`);
    // The pointer wraps over lines wherever the run id falls: compare without whitespace.
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('...and1,000more:seetheCSVexport.');
    expect(flat).toContain(`GET/reconciliation/runs/${runId}/lines.csv`);
    expect(text).toContain('ch_t000500');
    expect(text).not.toContain('ch_t000501');
  });

  it('prints the SHA-256 stored with the run, which is that of its lines.csv', async () => {
    const run = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send({ from: '2025-05-01', to: '2025-06-01' })
      .expect(201);
    const sha = await downloadedCsvSha256(run.body.id);
    expect(run.body.csvSha256).toBe(sha);
    expect(await printedCsvSha256(run.body.id)).toBe(sha);
  });

  it('a run completed before the digest was stored gets it once, from the CSV finance downloads', async () => {
    const runId = await bigRun(300);
    // As such a run is: completed, no csv_sha256 (bigRun writes the tables straight).
    const before = await request(app).get(`/reconciliation/runs/${runId}`).set(finance).expect(200);
    expect(before.body.csvSha256).toBeNull();

    const printed = await printedCsvSha256(runId);
    expect(printed).toBe(await downloadedCsvSha256(runId));
    const after = await request(app).get(`/reconciliation/runs/${runId}`).set(finance).expect(200);
    expect(after.body.csvSha256).toBe(printed);
    // The next PDF prints the stored digest, and it still names the same bytes.
    expect(await printedCsvSha256(runId)).toBe(await downloadedCsvSha256(runId));
  });
});

/** SHA-256 (hex) of the bytes GET …/lines.csv sends, as a finance user downloads them. */
async function downloadedCsvSha256(runId: string): Promise<string> {
  const csv = await request(app)
    .get(`/reconciliation/runs/${runId}/lines.csv`)
    .set(finance)
    .buffer(true)
    .parse(binary)
    .expect(200);
  return createHash('sha256')
    .update(csv.body as Buffer)
    .digest('hex');
}

/** The SHA-256 the report's footers print (the same on every page). */
async function printedCsvSha256(runId: string): Promise<string> {
  const res = await request(app)
    .get(`/reconciliation/runs/${runId}/report.pdf`)
    .set(finance)
    .buffer(true)
    .parse(binary)
    .expect(200);
  const { text, numpages } = await pdfParse(res.body as Buffer);
  const printed = [...text.matchAll(/SHA-256 of the reconciliation CSV: ([0-9a-f]{64})/g)];
  expect(printed).toHaveLength(numpages);
  expect(new Set(printed.map((m) => m[1])).size).toBe(1);
  return printed[0]![1]!;
}

describe('report.pdf in Cyrillic', () => {
  it('keeps a fund name and an office written in Cyrillic readable', async () => {
    const fundName = 'Навучанне спецыялістаў';
    const office = 'Мінск-цэнтр';
    await request(app)
      .post('/funds')
      .set(finance)
      .send({ slug: 'navuchanne', name: fundName, restricted: true, feePolicy: 'fund' })
      .expect(201);
    const gift = new DonationEvents({
      fund: 'navuchanne',
      channel: 'office',
      officeId: office,
      gross: money(2500),
      occurredAt: '2025-07-02T10:00:00Z',
    });
    await db.$transaction((tx) =>
      applyPaymentEvent(tx, gift.succeeded() as PaymentEvent, { namespace: 'report.' }),
    );
    const run = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send({ from: '2025-07-01', to: '2025-08-01' })
      .expect(201);
    const res = await request(app)
      .get(`/reconciliation/runs/${run.body.id}/report.pdf?fund=navuchanne`)
      .set(finance)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const { text } = await pdfParse(res.body as Buffer);
    expect(text).toContain(`${fundName} (navuchanne)`);
    expect(text).toContain(office);
    expect(text).toContain('25.00 BYN');
  });
});

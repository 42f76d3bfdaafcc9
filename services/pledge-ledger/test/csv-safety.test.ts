import { parse } from 'csv-parse/sync';
import { text } from 'node:stream/consumers';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { csvStream } from '../src/reconciliation/app/csv-writer';
import { openLedgerApp, type LedgerApp } from './app';
import { FINANCE_KEY } from './helpers';

// What finance opens in a spreadsheet must never run as a formula, and a statement date that
// is not on the calendar must never be moved into another day (30 February is not 2 March).

const finance = { authorization: `Bearer ${FINANCE_KEY}` };
let world: LedgerApp;
let db: Db;
let app: LedgerApp['app'];

beforeAll(async () => {
  world = await openLedgerApp('ledger_csv_safety');
  ({ db, app } = world);
});

afterAll(() => world.close());

const STRIPE_HEADER =
  'balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id';
const upload = (format: string, body: string) =>
  request(app)
    .post(`/statements/upload?format=${format}&filename=report.csv`)
    .set(finance)
    .set('content-type', 'text/csv')
    .send(body);
const rowsOf = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe('CSV exports are safe to open in a spreadsheet', () => {
  const payoutId = "+cmd|' /C calc'!A0";

  it('quote-prefixes formula-like references in journal.csv and lines.csv; amounts stay numbers', async () => {
    const statement = [
      STRIPE_HEADER,
      '"=HYPERLINK(""x"")",2025-06-02 10:00:00,byn,15.00,0.50,14.50,charge,@SUM(A1)',
      '-1+1,2025-06-03 10:00:00,byn,-15.00,0.00,-15.00,refund,-1+1',
    ].join('\n');
    await upload('stripe-balance', statement).expect(200);
    await request(app)
      .post('/payouts')
      .set(finance)
      .send({
        provider: 'stripe',
        payoutId,
        amount: { minor: 1500, currency: 'BYN' },
        occurredAt: '2025-06-04T10:00:00Z',
      })
      .expect(201);

    const journal = await request(app)
      .get('/exports/journal.csv?from=2025-06-01&to=2025-07-01')
      .set(finance)
      .expect(200);
    const lines = rowsOf(journal.text);
    expect(lines.map((l) => l.provider_ref)).toEqual([`'${payoutId}`, `'${payoutId}`]);
    expect(lines.map((l) => [l.debit_minor, l.credit_minor, l.amount])).toEqual([
      ['1500', '0', '15.00'],
      ['0', '1500', '-15.00'],
    ]);

    const run = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send({ from: '2025-06-01', to: '2025-07-01' })
      .expect(201);
    const csv = await request(app)
      .get(`/reconciliation/runs/${run.body.id}/lines.csv`)
      .set(finance)
      .expect(200);
    const byRef = Object.fromEntries(rowsOf(csv.text).map((r) => [r.ref, r]));
    expect(Object.keys(byRef).sort()).toEqual([`'${payoutId}`, "'-1+1", "'@SUM(A1)"].sort());
    expect(byRef["'@SUM(A1)"]).toMatchObject({
      statement_refs: `'=HYPERLINK("x")`,
      statement_gross_minor: '1500',
      statement_fee_minor: '50',
    });
    expect(byRef["'-1+1"]).toMatchObject({
      statement_refs: "'-1+1",
      statement_gross_minor: '-1500',
      statement_net_minor: '-1500',
    });
    expect(byRef[`'${payoutId}`]).toMatchObject({ ledger_gross_minor: '-1500' });
  });

  it('the one CSV writer prefixes every cell that starts with = + - @ tab or CR, never a number', async () => {
    const cells = ['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', 'plain'];
    const csv = await text(
      csvStream(
        { columns: ['text', 'minor', 'amount'], decimal: ['amount'] },
        (async function* () {
          for (const cell of cells) yield [cell, -1500, '-15.00'];
        })(),
      ),
    );
    const rows = rowsOf(csv);
    expect(rows.map((r) => r.text)).toEqual([
      "'=1+1",
      "'+1",
      "'-1+1",
      "'@SUM(A1)",
      "'\t=1",
      "'\r=1",
      "'＝1+1",
      'plain',
    ]);
    expect(new Set(rows.map((r) => `${r.minor} ${r.amount}`))).toEqual(new Set(['-1500 -15.00']));
  });
});

describe('statement dates are real calendar days', () => {
  it('refuses 30 February in an upload, naming the line, and stores nothing', async () => {
    const before = await db.statementLine.count();
    const stripe = await upload(
      'stripe-balance',
      [
        STRIPE_HEADER,
        'txn_c1,2025-02-28 10:00:00,byn,10.00,0.00,10.00,charge,ch_c1',
        'txn_c2,2025-02-30 10:00:00,byn,10.00,0.00,10.00,charge,ch_c2',
      ].join('\n'),
    ).expect(422);
    expect(stripe.body.detail).toMatch(
      /line 3 \(created_utc\): 2025-02-30 is not a day of the calendar/,
    );
    expect(stripe.body.problems).toEqual([
      expect.objectContaining({ line: 3, column: 'created_utc' }),
    ]);

    const paypal = await upload(
      'paypal-activity',
      [
        'Date,Time,TimeZone,Type,Status,Currency,Gross,Fee,Net,Transaction ID',
        '02/30/2025,10:00:00,UTC,Express Checkout Payment,Completed,USD,10.00,0.00,10.00,PP1',
      ].join('\n'),
    ).expect(422);
    expect(paypal.body.detail).toMatch(
      /line 2 \(Date\): .*2025-02-30 is not a day of the calendar/,
    );
    expect(await db.statementLine.count()).toBe(before);
  });

  it('refuses impossible and out-of-range dates in API imports and runs with a 400', async () => {
    const cases: [string, object, RegExp][] = [
      [
        '/statements/import',
        { provider: 'stripe', from: '2025-02-30', to: '2025-03-05' },
        /from: .*2025-02-30 is not a day of the calendar/,
      ],
      [
        '/statements/import',
        { provider: 'paypal', from: '2025-03-01', to: '2025-02-31T00:00:00Z' },
        /to: .*2025-02-31 is not a day of the calendar/,
      ],
      [
        '/reconciliation/runs',
        { from: '0000-01-01', to: '2025-03-01' },
        /from: .*outside the dates this service keeps \(1900-01-01 to 9999-12-31\)/,
      ],
    ];
    for (const [path, body, detail] of cases) {
      const res = await request(app).post(path).set(finance).send(body).expect(400);
      expect(res.body.detail).toMatch(detail);
    }
  });
});

import type { TestDatabase } from '@bfi/db';
import { InProcessTransport } from '@bfi/messaging';
import { FakePayPal, FakeStripe } from '@bfi/provider-fakes';
import { testLogger } from '@bfi/testing';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { createPledgeLedgerService } from '../src/service';
import { apiKeys, fakeProviderClients, FINANCE_KEY, openDb } from './helpers';

// Uploaded reports: strict validation (nothing stored on any problem), idempotent storage;
// and API imports that need several pages (Stripe auto-pagination, PayPal pages and 31-day windows).

const finance = { authorization: `Bearer ${FINANCE_KEY}` };
let database: TestDatabase;
let db: Db;
let app: ReturnType<typeof createPledgeLedgerService>['app'];
const stripeFake = new FakeStripe();
const paypalFake = new FakePayPal();

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_upload'));
  await stripeFake.start();
  await paypalFake.start();
  app = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys },
    providers: fakeProviderClients(stripeFake, paypalFake),
  }).app;
});

afterAll(async () => {
  await stripeFake.stop();
  await paypalFake.stop();
  await db.$disconnect();
  await database.drop();
});

const STRIPE_HEADER =
  'balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description';
const stripeCsv = (...rows: string[]) => [STRIPE_HEADER, ...rows].join('\n') + '\n';
const good = [
  'txn_u1,2025-05-01 09:00:00,2025-05-03 00:00:00,byn,100.00,3.20,96.80,charge,ch_u1,Donation',
  'txn_u2,2025-05-02 10:30:00,2025-05-04 00:00:00,byn,-20.00,0.00,-20.00,refund,re_u1,',
  'txn_u3,2025-05-05 00:00:00,2025-05-05 00:00:00,byn,-76.80,0.00,-76.80,payout,po_u1,STRIPE PAYOUT',
];

const upload = (format: string, body: string, type = 'text/csv') =>
  request(app)
    .post(`/statements/upload?format=${format}&filename=report.csv`)
    .set(finance)
    .set('content-type', type)
    .send(body);

async function stored(): Promise<[number, number]> {
  return [await db.statementLine.count(), await db.statementImport.count()];
}

describe('CSV uploads', () => {
  it('refuses bad files with a 4xx that says what is wrong, storing nothing', async () => {
    const before = await stored();
    const cases: [string, string, RegExp, number?][] = [
      [
        'stripe-balance',
        'Date,Time,TimeZone,Type,Status,Currency,Gross,Fee,Net,Transaction ID\n03/01/2025,10:00:00,UTC,Payment,Completed,USD,1.00,0.00,1.00,X1\n',
        /not a Stripe "Balance change from activity" itemized report: missing column\(s\) "balance_transaction_id"/,
      ],
      [
        'stripe-balance',
        stripeCsv(good[0]!, 'txn_u9,2025-05-01 09:00:00,,byn,12,50,0.00,12.50,charge,ch_u9,'),
        /line 3: has 11 fields, the header has 10/,
      ],
      [
        'stripe-balance',
        stripeCsv(good[0]!, 'txn_u9,2025-05-01 09:00:00,,byn,"12,50",0.00,12.50,charge,ch_u9,'),
        /line 3 \(gross\): amount "12,50" is not a BYN amount/,
      ],
      [
        'stripe-balance',
        stripeCsv('txn_u9,2025-05-01 09:00:00,,byn,1.234,0.00,1.234,charge,ch_u9,'),
        /amount "1.234" is not a BYN amount/,
      ],
      [
        'stripe-balance',
        stripeCsv('txn_u9,2025-05-01 09:00:00,,byn,€12.00,0.00,12.00,charge,ch_u9,'),
        /line 2 \(gross\)/,
      ],
      [
        'stripe-balance',
        stripeCsv('txn_u9,2025-05-01 09:00:00,,xyz,12.00,0.00,12.00,charge,ch_u9,'),
        /currency "xyz" is not one the ledger keeps/,
      ],
      [
        'stripe-balance',
        stripeCsv('txn_u9,01.05.2025 09:00,,byn,12.00,0.00,12.00,charge,ch_u9,'),
        /created_utc\): "01.05.2025 09:00" is not a UTC time/,
      ],
      [
        'stripe-balance',
        stripeCsv('txn_u9,2025-05-01 09:00:00,,byn,12.00,1.00,12.00,charge,ch_u9,'),
        /gross 1200 − fee 100 is 1100, but net says 1200/,
      ],
      ['stripe-payout', stripeCsv(good[0]!), /missing column\(s\) "automatic_payout_id"/],
      [
        'paypal-activity',
        '"Date","Time","TimeZone","Type","Status","Currency","Gross","Fee","Net","Transaction ID"\n"01/05/2025","10:00:00","UTC","Express Checkout Payment","Completed","EUR","1.234,50","-0,84","1.233,66","P1"\n',
        /"1.234,50" is not a EUR amount/,
      ],
      [
        'paypal-activity',
        '"Date","Time","TimeZone","Type","Status","Currency","Gross","Fee","Net","Transaction ID"\n"2025-05-01","10:00:00","Europe/Minsk","Express Checkout Payment","Completed","USD","10.00","0.00","10.00","P1"\n',
        /is not a date like 03\/01\/2025/,
      ],
      ['stripe-balance', 'a,"b\n', /not valid CSV/],
      ['stripe-balance', STRIPE_HEADER + '\n', /has a header but no lines/],
      [
        'bank-statement',
        stripeCsv(good[0]!),
        /format: must be one of stripe-balance, stripe-payout, paypal-activity/,
        400,
      ],
    ];
    for (const [format, body, message, status] of cases) {
      const res = await upload(format, body);
      expect({ format, status: res.status }).toEqual({ format, status: status ?? 422 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(message);
    }
    const json = await request(app)
      .post('/statements/upload?format=stripe-balance')
      .set(finance)
      .send({ csv: 'x' });
    expect(json.status).toBe(415);
    expect(await stored()).toEqual(before);
  });

  it('stores a Stripe balance report once: uploading it again adds nothing', async () => {
    const first = await upload('stripe-balance', stripeCsv(...good)).expect(200);
    expect(first.body).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const again = await upload('stripe-balance', stripeCsv(...good)).expect(200);
    expect(again.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await db.statementLine.count()).toBe(3);
    const payout = await db.providerPayout.findUnique({
      where: { provider_payoutId: { provider: 'stripe', payoutId: 'po_u1' } },
    });
    expect(payout).toMatchObject({ amountMinor: 7680n, currency: 'BYN' });
    // The payout reconciliation report then tells which lines the payout paid out.
    const payoutCsv = [
      `${STRIPE_HEADER},automatic_payout_id`,
      `${good[0]},po_u1`,
      `${good[1]},po_u1`,
    ].join('\n');
    const linked = await upload('stripe-payout', payoutCsv).expect(200);
    expect(linked.body).toMatchObject({ inserted: 0, updated: 2 });
    const lines = await request(app).get('/statements?provider=stripe').set(finance).expect(200);
    expect(
      lines.body.lines.map((l: { reference: string; payoutId: string | null }) => [
        l.reference,
        l.payoutId,
      ]),
    ).toEqual([
      ['txn_u1', 'po_u1'],
      ['txn_u2', 'po_u1'],
      ['txn_u3', null],
    ]);
  });

  it('flags a re-imported line whose amounts differ from the stored one, and keeps the stored one', async () => {
    // txn_u1 was stored above as 100.00 / 3.20 / 96.80 BYN; a later file says 90.00 / 2.90 / 87.10.
    const changed =
      'txn_u1,2025-05-01 09:00:00,2025-05-03 00:00:00,byn,90.00,2.90,87.10,charge,ch_u1,Donation';
    const res = await upload('stripe-balance', stripeCsv(changed, good[1]!)).expect(200);
    expect(res.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, conflicting: 1 });
    expect(res.body.conflicts).toEqual([
      {
        reference: 'txn_u1',
        stored: { gross: 10000, fee: 320, net: 9680, currency: 'BYN' },
        imported: { gross: 9000, fee: 290, net: 8710, currency: 'BYN' },
      },
    ]);
    const line = await db.statementLine.findUniqueOrThrow({
      where: { provider_reference: { provider: 'stripe', reference: 'txn_u1' } },
    });
    expect([line.grossMinor, line.feeMinor, line.netMinor]).toEqual([10000n, 320n, 9680n]);
    const record = await db.statementImport.findUniqueOrThrow({ where: { id: res.body.importId } });
    expect(record).toMatchObject({ unchanged: 1, conflicting: 1 });
  });

  it('reads a PayPal activity download: en-US grouping, completed rows only', async () => {
    const csv =
      '\uFEFF"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","Transaction ID","Reference Txn ID"\n' +
      '"05/06/2025","10:00:00","PDT","Donor","Express Checkout Payment","Completed","USD","1,234.50","-43.58","1,190.92","PP-1",""\n' +
      '"05/06/2025","11:00:00","PDT","Donor","Express Checkout Payment","Pending","USD","5.00","0.00","5.00","PP-2",""\n' +
      '"05/07/2025","09:00:00","UTC","","Payment Refund","Completed","USD","-100.00","0.00","-100.00","PP-3","PP-1"\n';
    const res = await upload('paypal-activity', csv).expect(200);
    expect(res.body).toMatchObject({ inserted: 2, skipped: 1 });
    const rows = await db.statementLine.findMany({
      where: { provider: 'paypal' },
      orderBy: { reference: 'asc' },
    });
    expect(
      rows.map((r) => [
        r.reference,
        r.type,
        r.grossMinor,
        r.feeMinor,
        r.netMinor,
        r.createdAt.toISOString(),
      ]),
    ).toEqual([
      ['PP-1', 'payment', 123450n, 4358n, 119092n, '2025-05-06T17:00:00.000Z'],
      ['PP-3', 'refund', -10000n, 0n, -10000n, '2025-05-07T09:00:00.000Z'],
    ]);
  });
});

describe('API imports over many pages', () => {
  it('follows Stripe auto-pagination and PayPal pages across 31-day windows', async () => {
    const base = Date.parse('2025-06-01T00:00:00Z') / 1000;
    for (let i = 0; i < 250; i += 1)
      stripeFake.addBalanceTransaction({
        amount: 100 + i,
        fee: 3,
        currency: 'usd',
        type: 'charge',
        source: `ch_p${i}`,
        created: base + i * 600,
      });
    const stripe = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'stripe', from: '2025-06-01', to: '2025-07-01' })
      .expect(200);
    expect(stripe.body.inserted).toBe(250);
    const pages = stripeFake.calls.filter((c) => c.path === '/v1/balance_transactions');
    expect(pages.length).toBe(3);
    expect(pages[1]!.body.starting_after).toEqual(expect.stringMatching(/^txn_/));

    // 600 PayPal transactions over 70 days: 3 windows, the first of them 2 pages of 500.
    const start = Date.parse('2025-06-01T00:00:00Z');
    for (let i = 0; i < 600; i += 1)
      paypalFake.addTransaction({
        transaction_id: `PPX${i}`,
        transaction_event_code: 'T0006',
        amount: 1000,
        fee: 30,
        currency: 'USD',
        at: new Date(start + (i < 550 ? i * 60_000 : 40 * 86400_000 + i * 60_000)),
      });
    const pp = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'paypal', from: '2025-06-01', to: '2025-08-10' })
      .expect(200);
    expect(pp.body.inserted).toBe(600);
    const searches = paypalFake.calls.filter((c) => c.path === '/v1/reporting/transactions');
    expect(searches.length).toBe(4);
  });
});

describe('OpenAPI', () => {
  it('documents the reconciliation endpoints with their request schemas', async () => {
    const res = await request(app).get('/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/statements/import',
        '/statements/upload',
        '/reconciliation/runs',
        '/reconciliation/runs/{runId}/lines/{lineNo}/resolution',
        '/reconciliation/runs/{runId}/report.pdf',
        '/exports/journal.csv',
      ]),
    );
    const format = res.body.paths['/statements/upload'].post.parameters.find(
      (p: { name: string }) => p.name === 'format',
    );
    expect(format.schema.enum).toEqual(['stripe-balance', 'stripe-payout', 'paypal-activity']);
    const resolution =
      res.body.paths['/reconciliation/runs/{runId}/lines/{lineNo}/resolution'].post.requestBody
        .content['application/json'].schema;
    expect(resolution.properties.action.enum).toEqual(['accept', 'correct', 'reopen']);
  });
});

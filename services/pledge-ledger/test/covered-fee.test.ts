import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createFund } from '../src/ledger/db/funds-repo';
import { pdfParse } from './app';
import {
  DonationEvents,
  FINANCE_KEY,
  linesOf,
  money,
  openWorld,
  unbalancedEntries,
  type World,
} from './helpers';

// "Cover the fee" through the real broker and database: payment charged the intended gift plus
// its fee estimate and said which part covered the fee; the fund must receive the gift itself,
// and finance must see the covered fee beside the actual one (totals, CSV, PDF).

let world: World;
let sent = 0;
const finance = { authorization: `Bearer ${FINANCE_KEY}` };
const ST = 'specialist-training';

async function publishAndWait(events: ReturnType<DonationEvents['succeeded']>[]): Promise<void> {
  await world.publish(events);
  sent += events.length;
  await world.waitConsumed(sent);
}

beforeAll(async () => {
  world = await openWorld('ledger_covered_fee');
  await createFund(
    world.db,
    {
      slug: 'safe-schools',
      name: 'Safe schools',
      restricted: true,
      feePolicy: 'general',
      description: null,
    },
    world.namespace,
  );
});

afterAll(async () => {
  await world?.close();
});

// 50.00 BYN meant for the fund; Stripe's 2.9 % + 0.30 on 51.80 is 1.80, so the donor adds 1.80.
const covered = new DonationEvents({
  fund: ST,
  gross: money(5180),
  coveredFee: money(180),
  fee: money(180),
});
// The same gift to a fund whose fees the general fund bears, where the provider took 1.85.
const feeDiffers = new DonationEvents({
  fund: 'safe-schools',
  gross: money(5180),
  coveredFee: money(180),
  fee: money(185),
});

it('books the covered part on fee-cover and the intended gift on the fund', async () => {
  await publishAndWait([covered.succeeded(), feeDiffers.succeeded()]);
  const lines = await linesOf(world.db, covered.donationId);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'donation', account: 'clearing:stripe:BYN', amount: 5180 }),
      expect.objectContaining({ kind: 'donation', account: `fund:${ST}:BYN`, amount: -5000 }),
      expect.objectContaining({
        kind: 'donation',
        account: 'fee-cover:stripe:BYN',
        fund: ST,
        amount: -180,
      }),
      expect.objectContaining({ kind: 'fee', account: 'fees:stripe:BYN', fund: ST, amount: 180 }),
    ]),
  );
  expect(await unbalancedEntries(world.db)).toEqual([]);
});

it('fund totals: the fund receives the intended amount when the fee equals the estimate', async () => {
  const res = await request(world.service.app).get(`/funds/${ST}/totals`).set(finance).expect(200);
  expect(res.body.rows).toEqual([
    expect.objectContaining({
      currency: 'BYN',
      gross: 5000,
      fees: 180,
      coveredFees: 180,
      net: 5000,
      count: 1,
    }),
  ]);
});

it('a different actual fee stays with the fee bearer; the gift still reaches its fund whole', async () => {
  const safe = await request(world.service.app)
    .get('/funds/safe-schools/totals')
    .set(finance)
    .expect(200);
  expect(safe.body.rows).toEqual([
    expect.objectContaining({ gross: 5000, fees: 0, coveredFees: 0, net: 5000 }),
  ]);
  const general = await request(world.service.app)
    .get('/funds/general/totals')
    .set(finance)
    .expect(200);
  expect(general.body.rows).toEqual([
    expect.objectContaining({ gross: 0, fees: 185, coveredFees: 180, net: -5 }),
  ]);
});

it('fund-totals.csv has the covered fee column', async () => {
  const csv = await request(world.service.app)
    .get('/exports/fund-totals.csv?from=2025-03-01&to=2025-04-01')
    .set(finance)
    .expect(200);
  const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
  const byFund = Object.fromEntries(rows.map((r) => [r.fund, r]));
  expect(byFund[ST]).toMatchObject({
    gross_minor: '5000',
    fees_minor: '180',
    covered_fees_minor: '180',
    net_minor: '5000',
  });
  expect(byFund.general).toMatchObject({
    fees_minor: '185',
    covered_fees_minor: '180',
    net_minor: '-5',
  });
});

it('the reconciliation report PDF shows the covered fee in the fund totals', async () => {
  const run = await request(world.service.app)
    .post('/reconciliation/runs')
    .set(finance)
    .send({ from: '2025-03-01', to: '2025-04-01' })
    .expect(201);
  const res = await request(world.service.app)
    .get(`/reconciliation/runs/${run.body.id}/report.pdf`)
    .set(finance)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const { text } = await pdfParse(res.body as Buffer);
  expect(text).toContain('Fee covered');
  expect(text).toMatch(/1\.80/);
});

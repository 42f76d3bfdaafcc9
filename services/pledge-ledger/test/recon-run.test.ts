import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AnyEvent } from '@bfi/events';
import type { TestDatabase } from '@bfi/db';
import { InProcessTransport } from '@bfi/messaging';
import { FakePayPal, FakeStripe } from '@bfi/provider-fakes';
import { testLogger } from '@bfi/testing';
import { parse } from 'csv-parse/sync';
// pdf-parse@1's index runs a self-test when required directly; the library file does not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (
  b: Buffer,
) => Promise<{ text: string; numpages: number }>;
import Stripe from 'stripe';
import request from 'supertest';
import type { Db } from '../src/db/client';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { RECONCILIATION_COLUMNS } from '../src/reconciliation/app/exports';
import { printAmount } from '../src/reconciliation/app/pdf';
import { createPledgeLedgerService } from '../src/service';
import {
  apiKeys,
  fakeProviderClients,
  DonationEvents,
  FINANCE_KEY,
  money,
  openDb,
  serviceDir,
  STAFF_KEY,
} from './helpers';

// A March 2025 with a known discrepancy of every class, imported from the fakes through the real
// SDKs, reconciled, resolved, exported as CSV and PDF, over a real PostgreSQL.

const finance = { authorization: `Bearer ${FINANCE_KEY}` };
const t = (iso: string) => Math.floor(Date.parse(iso) / 1000);

let database: TestDatabase;
let db: Db;
let app: ReturnType<typeof createPledgeLedgerService>['app'];
const stripeFake = new FakeStripe();
const paypalFake = new FakePayPal();

const post = async (events: AnyEvent[]) => {
  for (const e of events)
    await db.$transaction((tx) =>
      applyPaymentEvent(tx, e as PaymentEvent, { namespace: 'recon.' }),
    );
};

const at = (day: number) => `2025-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const stripeDonation = (gross: number, fee: number, day: number) =>
  new DonationEvents({ gross: money(gross), fee: money(fee), occurredAt: at(day) });
const paypalDonation = (gross: number, fee: number, day: number, office = false) =>
  new DonationEvents({
    provider: 'paypal',
    gross: money(gross, 'USD'),
    fee: fee ? money(fee, 'USD') : null,
    occurredAt: at(day),
    channel: office ? 'office' : 'online',
  });
const ref = (d: DonationEvents) => `ch_${d.donationId.slice(0, 8)}`;

// Ledger side.
const matched = stripeDonation(10000, 320, 2);
const inTransit = stripeDonation(5000, 175, 3);
const amountOff = stripeDonation(7000, 233, 4);
const feeOff = stripeDonation(4000, 146, 5);
const currencyOff = paypalDonation(2500, 0, 6);
const notAtProvider = paypalDonation(1500, 0, 7, true);
const paypalOk = paypalDonation(6000, 239, 8);
const february = stripeDonation(9900, 300, 1);

/** What the run must find, by reference: exactly these, nothing else. */
let expected: Record<string, string>;
let payout1: Stripe.Payout;
let payout2: Stripe.Payout;

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_recon'));
  await stripeFake.start();
  await paypalFake.start();
  app = createPledgeLedgerService({
    db,
    transport: new InProcessTransport({ logger: testLogger }),
    logger: testLogger,
    config: { apiKeys },
    providers: fakeProviderClients(stripeFake, paypalFake),
  }).app;

  const feb = new DonationEvents({
    gross: money(9900),
    fee: money(300),
    occurredAt: '2025-02-20T10:00:00Z',
  });
  await post([
    ...[matched, inTransit, amountOff, feeOff, currencyOff, notAtProvider, paypalOk].map((d) =>
      d.succeeded(),
    ),
    inTransit.refunded('re_transit', 1000, 1000),
    feb.succeeded(),
  ]);
  void february;

  // Stripe statement (BYN).
  const charge = (d: DonationEvents, gross: number, fee: number, day: number) =>
    stripeFake.addBalanceTransaction({
      amount: gross,
      fee,
      currency: 'byn',
      type: 'charge',
      source: ref(d),
      created: t(at(day)),
    });
  const c1 = charge(matched, 10000, 320, 2);
  charge(inTransit, 5000, 175, 3);
  stripeFake.addBalanceTransaction({
    amount: -1000,
    currency: 'byn',
    type: 'refund',
    source: 're_transit',
    created: t(at(9)),
  });
  const c3 = charge(amountOff, 7500, 233, 4);
  const c4 = charge(feeOff, 4000, 150, 5);
  const ghost = stripeFake.addBalanceTransaction({
    amount: 3000,
    fee: 117,
    currency: 'byn',
    type: 'charge',
    source: 'ch_ghost',
    created: t(at(10)),
  });
  payout1 = stripeFake.createPayout({
    currency: 'byn',
    transactionIds: [c1.id, c3.id, c4.id],
    created: t(at(12)),
    arrival_date: t(at(13)),
  }) as unknown as Stripe.Payout;
  payout2 = stripeFake.createPayout({
    currency: 'byn',
    transactionIds: [ghost.id],
    amount: 2800,
    created: t(at(14)),
    arrival_date: t(at(15)),
  }) as unknown as Stripe.Payout;
  // A February charge outside the period: never part of the run.
  stripeFake.addBalanceTransaction({
    amount: 9900,
    fee: 300,
    currency: 'byn',
    type: 'charge',
    source: ref(feb),
    created: t('2025-02-20T10:00:00Z'),
  });

  // The bank entries of both payouts (finance posts them from the bank statement).
  for (const p of [payout1, payout2]) {
    await request(app)
      .post('/payouts')
      .set(finance)
      .send({
        provider: 'stripe',
        payoutId: p.id,
        amount: { minor: p.amount, currency: 'BYN' },
        occurredAt: new Date(p.created * 1000).toISOString(),
      })
      .expect(201);
  }

  // PayPal statement (Transaction Search).
  paypalFake.addTransaction({
    transaction_id: ref(currencyOff),
    transaction_event_code: 'T0006',
    amount: 2500,
    currency: 'EUR',
    at: new Date(at(6)),
  });
  paypalFake.addTransaction({
    transaction_id: ref(paypalOk),
    transaction_event_code: 'T0006',
    amount: 6000,
    fee: 239,
    currency: 'USD',
    at: new Date(at(8)),
  });
  paypalFake.addTransaction({
    transaction_event_code: 'T0006',
    amount: 999,
    currency: 'USD',
    at: new Date(at(9)),
    status: 'P',
  });

  expected = {
    [ref(matched)]: 'matched',
    [ref(inTransit)]: 'in-transit',
    re_transit: 'in-transit',
    [ref(amountOff)]: 'amount-mismatch',
    [ref(feeOff)]: 'fee-mismatch',
    ch_ghost: 'missing-in-ledger',
    [ref(currencyOff)]: 'currency-mismatch',
    [ref(notAtProvider)]: 'missing-at-provider',
    [ref(paypalOk)]: 'matched',
    [`payout:${payout1.id}`]: 'matched',
    [`payout:${payout2.id}`]: 'matched',
    [`payout-check:${payout1.id}`]: 'matched',
    [`payout-check:${payout2.id}`]: 'payout-mismatch',
  };
}, 60_000);

afterAll(async () => {
  await stripeFake.stop();
  await paypalFake.stop();
  await db.$disconnect();
  await database.drop();
});

const march = { from: '2025-03-01', to: '2025-04-01' };

interface Line {
  lineNo: number;
  type: string;
  ref: string;
  status: string;
  detail: string;
  resolution: { action: string } | null;
}

async function linesOfRun(runId: string): Promise<Line[]> {
  const res = await request(app)
    .get(`/reconciliation/runs/${runId}/lines?limit=1000`)
    .set(finance)
    .expect(200);
  return res.body.lines;
}

const byRef = (lines: Line[]) =>
  Object.fromEntries(
    lines.map((l) => [
      l.type === 'payout' || l.type === 'payout-check' ? `${l.type}:${l.ref}` : l.ref,
      l.status,
    ]),
  );

let firstRun: string;

describe('statement import', () => {
  it('imports Stripe by period (SDK auto-pagination) and PayPal by Transaction Search, idempotently', async () => {
    const stripe1 = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'stripe', ...march })
      .expect(200);
    // 6 charges/refund in March + 2 payout lines; lines gain their payout id from the payout listing.
    expect(stripe1.body).toMatchObject({ inserted: 8, updated: 0, unchanged: 0 });
    const paypal1 = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'paypal', ...march })
      .expect(200);
    expect(paypal1.body).toMatchObject({ inserted: 2, skipped: 1 });
    const count = await db.statementLine.count();
    expect(count).toBe(10);

    const stripe2 = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'stripe', ...march })
      .expect(200);
    expect(stripe2.body).toMatchObject({ inserted: 0, updated: 0 });
    const paypal2 = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'paypal', ...march })
      .expect(200);
    expect(paypal2.body).toMatchObject({ inserted: 0, unchanged: 2 });
    expect(await db.statementLine.count()).toBe(count);

    const byPayout = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'stripe', payoutId: payout1.id })
      .expect(200);
    expect(byPayout.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    const lines = await db.statementLine.findMany({ where: { payoutId: payout1.id } });
    expect(lines.map((l) => l.sourceRef).sort()).toEqual(
      [ref(matched), ref(amountOff), ref(feeOff), payout1.id].sort(),
    );
    // The SDK really paged (limit 100 per call) and asked by date and by payout.
    const listCalls = stripeFake.calls.filter((c) => c.path === '/v1/balance_transactions');
    expect(
      listCalls.some(
        (c) =>
          (c.body.created as Record<string, string>)?.gte === String(t('2025-03-01T00:00:00Z')),
      ),
    ).toBe(true);
    expect(listCalls.some((c) => c.body.payout === payout1.id)).toBe(true);
  });

  it('answers 422 with the provider message when the payout does not exist there (the input is wrong)', async () => {
    const res = await request(app)
      .post('/statements/import')
      .set(finance)
      .send({ provider: 'stripe', payoutId: 'po_nope' })
      .expect(422);
    expect(res.body.detail).toMatch(
      /Stripe has nothing under that reference: No such object: 'po_nope'/,
    );
  });
});

describe('reconciliation run', () => {
  it('finds exactly the planted discrepancies, one line per movement and payout', async () => {
    const res = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send(march)
      .expect(201);
    firstRun = res.body.id;
    expect(res.body).toMatchObject({ status: 'completed', provider: null });
    const lines = await linesOfRun(firstRun);
    expect(byRef(lines)).toEqual(expected);
    expect(res.body.summary.counts).toEqual({
      matched: 5,
      'in-transit': 2,
      'amount-mismatch': 1,
      'fee-mismatch': 1,
      'currency-mismatch': 1,
      'missing-in-ledger': 1,
      'missing-at-provider': 1,
      'payout-mismatch': 1,
    });
    expect(res.body.summary.discrepancies).toBe(6);
    const p2 = lines.find((l) => l.type === 'payout-check' && l.ref === payout2.id)!;
    expect(p2.detail).toBe(`payout of 2800 BYN: its 1 transactions sum to 2883 BYN, not 2800`);
  });

  it('restricts a run to one provider and repeats a run with the same result', async () => {
    const paypalOnly = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send({ ...march, provider: 'paypal' })
      .expect(201);
    expect(byRef(await linesOfRun(paypalOnly.body.id))).toEqual({
      [ref(currencyOff)]: 'currency-mismatch',
      [ref(notAtProvider)]: 'missing-at-provider',
      [ref(paypalOk)]: 'matched',
    });
    const again = await request(app)
      .post(`/reconciliation/runs/${firstRun}/rerun`)
      .set(finance)
      .expect(201);
    expect(again.body.rerunOf).toBe(firstRun);
    expect(byRef(await linesOfRun(again.body.id))).toEqual(expected);
  });

  it('refuses bad periods and non-finance callers', async () => {
    await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send({ from: '2025-04-01', to: '2025-03-01' })
      .expect(400);
    await request(app)
      .post('/reconciliation/runs')
      .set({ authorization: `Bearer ${STAFF_KEY}` })
      .send(march)
      .expect(403);
    await request(app).get('/reconciliation/runs/not-a-uuid').set(finance).expect(400);
  });
});

describe('resolution', () => {
  const lineOf = async (runId: string, r: string, type?: string) =>
    (await linesOfRun(runId)).find((l) => l.ref === r && (!type || l.type === type))!;

  it('accepts a discrepancy with a comment, keeps the audit trail, refuses a second decision', async () => {
    const line = await lineOf(firstRun, payout2.id, 'payout-check');
    const url = `/reconciliation/runs/${firstRun}/lines/${line.lineNo}/resolution`;
    const ok = await request(app)
      .post(url)
      .set(finance)
      .send({ action: 'accept', comment: 'Stripe withheld 83 for a reserve; ticket 4711' })
      .expect(201);
    expect(ok.body).toMatchObject({
      action: 'accepted',
      resolvedBy: 'finance',
      correctionEntryId: null,
    });
    const again = await request(app)
      .post(url)
      .set(finance)
      .send({ action: 'accept', comment: 'twice' })
      .expect(409);
    expect(again.body.detail).toMatch(/already accepted by finance/);
    await request(app)
      .post(url)
      .set(finance)
      .send({ action: 'reopen', comment: 'reserve not confirmed' })
      .expect(201);
    await request(app)
      .post(url)
      .set(finance)
      .send({ action: 'accept', comment: 'reserve confirmed by Stripe' })
      .expect(201);
    const trail = await request(app)
      .get(`/reconciliation/runs/${firstRun}/lines/${line.lineNo}/resolutions`)
      .set(finance)
      .expect(200);
    expect(
      trail.body.resolutions.map((r: { action: string; comment: string }) => [r.action, r.comment]),
    ).toEqual([
      ['accepted', 'Stripe withheld 83 for a reserve; ticket 4711'],
      ['reopened', 'reserve not confirmed'],
      ['accepted', 'reserve confirmed by Stripe'],
    ]);
    const matchedLine = await lineOf(firstRun, ref(matched));
    await request(app)
      .post(`/reconciliation/runs/${firstRun}/lines/${matchedLine.lineNo}/resolution`)
      .set(finance)
      .send({ action: 'accept', comment: 'nothing' })
      .expect(409);
    await request(app).post(url).set(finance).send({ action: 'shrug', comment: '' }).expect(400);
  });

  it('corrects with new ledger entries (never edits), after which a new run matches', async () => {
    const entriesBefore = await db.journalEntry.count();
    const fix = async (r: string, body: object) => {
      const line = await lineOf(firstRun, r);
      return request(app)
        .post(`/reconciliation/runs/${firstRun}/lines/${line.lineNo}/resolution`)
        .set(finance)
        .send(body);
    };
    // money the ledger never saw needs a fund
    const noFund = await fix('ch_ghost', {
      action: 'correct',
      comment: 'donation lost in transit',
    });
    expect(noFund.status).toBe(422);
    expect(noFund.body.detail).toMatch(/choose the fund/);
    for (const [r, body] of [
      [ref(amountOff), { action: 'correct', comment: 'donor topped up at the terminal' }],
      [ref(feeOff), { action: 'correct', comment: 'Stripe fee schedule changed' }],
      ['ch_ghost', { action: 'correct', comment: 'donation lost in transit', fund: 'general' }],
      [ref(currencyOff), { action: 'correct', comment: 'PayPal settled in EUR' }],
      [ref(notAtProvider), { action: 'correct', comment: 'payment never captured' }],
    ] as const) {
      const res = await fix(r, body);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        action: 'corrected',
        correctionEntryId: expect.any(String),
      });
    }
    expect(await db.journalEntry.count()).toBe(entriesBefore + 5);
    expect(await db.journalEntry.count({ where: { kind: 'correction' } })).toBe(5);
    const audit = await request(app).get('/audit/verify').set(finance).expect(200);
    expect(audit.body.ok).toBe(true);

    const after = await request(app)
      .post('/reconciliation/runs')
      .set(finance)
      .send(march)
      .expect(201);
    const statuses = byRef(await linesOfRun(after.body.id));
    expect(statuses).toEqual({
      ...expected,
      [ref(amountOff)]: 'matched',
      [ref(feeOff)]: 'matched',
      ch_ghost: 'matched',
      [ref(currencyOff)]: 'matched',
      [ref(notAtProvider)]: 'matched',
    });

    // The rerun of the first run saw the ledger before the corrections: correcting from it is refused.
    const runs = await request(app).get('/reconciliation/runs').set(finance).expect(200);
    const rerun = runs.body.runs.find(
      (r: { id: string; provider: string | null }) =>
        r.id !== firstRun && r.id !== after.body.id && r.provider === null,
    );
    const stale = await lineOf(rerun.id, ref(amountOff));
    const refused = await request(app)
      .post(`/reconciliation/runs/${rerun.id}/lines/${stale.lineNo}/resolution`)
      .set(finance)
      .send({ action: 'correct', comment: 'again' })
      .expect(409);
    expect(refused.body.detail).toMatch(/The ledger changed for stripe payment/);
  });
});

describe('exports', () => {
  it('streams the reconciliation CSV with its documented columns', async () => {
    const res = await request(app)
      .get(`/reconciliation/runs/${firstRun}/lines.csv`)
      .set(finance)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...RECONCILIATION_COLUMNS]);
    const amount = rows.find((r) => r.ref === ref(amountOff))!;
    expect(amount).toMatchObject({
      status: 'amount-mismatch',
      statement_gross_minor: '7500',
      ledger_gross_minor: '7000',
      gross_difference_minor: '500',
    });
    expect(rows).toHaveLength(Object.keys(expected).length);
  });

  it('streams journal lines and fund totals that equal the ledger', async () => {
    const journal = await request(app)
      .get('/exports/journal.csv?from=2025-03-01&to=2025-04-01')
      .set(finance)
      .expect(200);
    const lines = parse(journal.text, { columns: true }) as Record<string, string>[];
    const entries = await db.journalEntry.findMany({
      where: { occurredAt: { gte: new Date('2025-03-01'), lt: new Date('2025-04-01') } },
      include: { lines: true },
    });
    expect(lines).toHaveLength(entries.reduce((n, e) => n + e.lines.length, 0));
    const debits = lines.reduce((n, l) => n + Number(l.debit_minor), 0);
    const credits = lines.reduce((n, l) => n + Number(l.credit_minor), 0);
    expect(debits).toBe(credits);

    const totals = await request(app)
      .get('/exports/fund-totals.csv?from=2025-03-01&to=2025-04-01')
      .set(finance)
      .expect(200);
    const rows = parse(totals.text, { columns: true }) as Record<string, string>[];
    const api = await request(app)
      .get('/funds/specialist-training/totals?from=2025-03-01&to=2025-04-01')
      .set(finance)
      .expect(200);
    for (const t of api.body.rows) {
      expect(rows).toContainEqual(
        expect.objectContaining({
          fund: 'specialist-training',
          currency: t.currency,
          gross_minor: String(t.gross),
          fees_minor: String(t.fees),
          net_minor: String(t.net),
        }),
      );
    }
  });

  it('renders a PDF with the totals, the discrepancies and the CSV hash on every page', async () => {
    const csv = await request(app)
      .get(`/reconciliation/runs/${firstRun}/lines.csv`)
      .set(finance)
      .expect(200);
    const sha = createHash('sha256').update(csv.text).digest('hex');
    const res = await request(app)
      .get(`/reconciliation/runs/${firstRun}/report.pdf`)
      .set(finance)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    const { text, numpages } = await pdfParse(pdf);
    expect(text).toContain('Reconciliation report');
    expect(text).toContain(firstRun);
    expect(text).toContain('2025-03-01 to 2025-04-01');
    for (const fund of ['specialist-training', 'general']) {
      const totals = await request(app)
        .get(`/funds/${fund}/totals?from=2025-03-01&to=2025-04-01`)
        .set(finance)
        .expect(200);
      for (const t of totals.body.rows) {
        for (const v of [t.gross, t.fees, t.refunds, t.net])
          expect(text).toContain(printAmount(v, t.currency));
      }
    }
    // specialist-training BYN in March: 100 + 50 + 70 + 40 BYN, +5 BYN by the amount correction
    expect(text).toContain('265.00 BYN');
    expect(text).toContain('Fund totals per channel');
    expect(text).toContain('Fund totals per office');
    expect(text).toContain('Daily totals');
    expect(text).toContain('payout-mismatch');
    expect(text).toContain(`SHA-256 of the reconciliation CSV: ${sha}`);
    expect(text).toContain(`Page 1 of ${numpages}`);
    expect(text).toContain(`Page ${numpages} of ${numpages}`);

    // It renders: pdftoppm (Debian poppler-utils) turns every page into an image without error.
    const probe = spawnSync('pdftoppm', ['-v']);
    if (probe.error)
      throw new Error(
        'pdftoppm is not installed: the PDF render check needs Debian poppler-utils (apt-get install -y poppler-utils)',
      );
    const dir = await mkdtemp(path.join(os.tmpdir(), 'recon-pdf-'));
    try {
      await writeFile(path.join(dir, 'r.pdf'), pdf);
      const out = spawnSync(
        'pdftoppm',
        ['-r', '30', '-png', path.join(dir, 'r.pdf'), path.join(dir, 'page')],
        { encoding: 'utf8' },
      );
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      const pngs = (await readdir(dir)).filter((f) => f.endsWith('.png'));
      expect(pngs).toHaveLength(numpages);
      const png = await readFile(path.join(dir, pngs[0]!));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the report CLI with progress and writes CSV and PDF files', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'recon-cli-'));
    try {
      const { stdout, stderr } = await promisify(execFile)(
        'npx',
        [
          'tsx',
          'src/cli/report.ts',
          '--from',
          '2025-03-01',
          '--to',
          '2025-04-01',
          '--provider',
          'stripe',
          '--out',
          out,
        ],
        { cwd: serviceDir, env: { ...process.env, DATABASE_URL: database.url } },
      );
      expect(stderr).toMatch(
        /reconciling 2025-03-01T00:00:00.000Z .. 2025-04-01T00:00:00.000Z \(stripe\)/,
      );
      expect(stderr).toMatch(/checking payouts/);
      expect(stderr).toMatch(/PDF: \d+ pages, 1 discrepancies/);
      const files = stdout.trim().split('\n');
      expect(
        files.map((f) =>
          path.basename(f).replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/, 'ID'),
        ),
      ).toEqual([
        'reconciliation-ID.csv',
        'journal-2025-03-01-2025-04-01.csv',
        'fund-totals-2025-03-01-2025-04-01.csv',
        'reconciliation-ID.pdf',
      ]);
      expect((await readFile(files[3]!)).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});

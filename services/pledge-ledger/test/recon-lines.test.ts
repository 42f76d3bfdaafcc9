import { createHash, randomUUID } from 'node:crypto';
import type { AnyEvent } from '@bfi/events';
import type { TestDatabase } from '@bfi/db';
import type { Db } from '../src/db/client';
import { applyPaymentEvent } from '../src/ledger/app/apply-payment-events';
import type { PaymentEvent } from '../src/ledger/events/payment-facts';
import { reconciliationCsv } from '../src/reconciliation/app/exports';
import { reconcile } from '../src/reconciliation/app/run-reconciliation';
import { runLines } from '../src/reconciliation/db/reconciliation-repo';
import { DonationEvents, money, openDb } from './helpers';

// Every field of every line of a run over a small mixed period, in line order: what the CSV
// and the API show an accountant. Ledger entries are posted as the payment events post them;
// the statement lines are stored as an import stores them (the import has its own tests).

let database: TestDatabase;
let db: Db;

const at = (day: number, hour = 10) =>
  `2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
// Fixed ids, so the refs (ch_<first 8>) and hence the line order are known.
const donation = (
  n: number,
  gross: number,
  fee: number,
  day: number,
  provider: 'stripe' | 'paypal' = 'stripe',
) =>
  new DonationEvents({
    donationId: `0000000${n}-0000-4000-8000-000000000000`,
    provider,
    gross: money(gross, provider === 'paypal' ? 'USD' : 'BYN'),
    fee: fee ? money(fee, provider === 'paypal' ? 'USD' : 'BYN') : null,
    occurredAt: at(day),
  });

const paidOut = donation(1, 10000, 320, 2); // two statement lines, in a payout: matched
const inTransit = donation(2, 5000, 175, 3); // not yet in a payout, and a refund of it
const amountOff = donation(3, 7000, 233, 4);
const feeOff = donation(4, 4000, 146, 5);
const currencyOff = donation(5, 2500, 0, 6, 'paypal');
const notAtProvider = donation(6, 1500, 0, 7, 'paypal');
const paypalOk = donation(7, 6000, 239, 8, 'paypal');

interface Stmt {
  provider: string;
  reference: string;
  sourceRef: string;
  type: string;
  gross: number;
  fee: number;
  currency: string;
  day: number;
  hour?: number;
  payoutId?: string;
}

const statement: Stmt[] = [
  // The same charge reported as two balance transactions (partial captures): summed.
  {
    provider: 'stripe',
    reference: 'txn_1b',
    sourceRef: 'ch_00000001',
    type: 'payment',
    gross: 4000,
    fee: 120,
    currency: 'BYN',
    day: 2,
    hour: 11,
    payoutId: 'po_1',
  },
  {
    provider: 'stripe',
    reference: 'txn_1a',
    sourceRef: 'ch_00000001',
    type: 'payment',
    gross: 6000,
    fee: 200,
    currency: 'BYN',
    day: 2,
    payoutId: 'po_1',
  },
  {
    provider: 'stripe',
    reference: 'txn_2',
    sourceRef: 'ch_00000002',
    type: 'payment',
    gross: 5000,
    fee: 175,
    currency: 'BYN',
    day: 3,
  },
  {
    provider: 'stripe',
    reference: 'txn_2r',
    sourceRef: 're_2',
    type: 'refund',
    gross: -1000,
    fee: 0,
    currency: 'BYN',
    day: 9,
  },
  {
    provider: 'stripe',
    reference: 'txn_3',
    sourceRef: 'ch_00000003',
    type: 'payment',
    gross: 7500,
    fee: 233,
    currency: 'BYN',
    day: 4,
    payoutId: 'po_1',
  },
  {
    provider: 'stripe',
    reference: 'txn_4',
    sourceRef: 'ch_00000004',
    type: 'payment',
    gross: 4000,
    fee: 150,
    currency: 'BYN',
    day: 5,
    payoutId: 'po_1',
  },
  // Unknown to the ledger, in two currencies.
  {
    provider: 'stripe',
    reference: 'txn_g1',
    sourceRef: 'ch_ghost',
    type: 'payment',
    gross: 3000,
    fee: 117,
    currency: 'BYN',
    day: 10,
    payoutId: 'po_1',
  },
  {
    provider: 'stripe',
    reference: 'txn_g2',
    sourceRef: 'ch_ghost',
    type: 'payment',
    gross: 100,
    fee: 0,
    currency: 'USD',
    day: 11,
    payoutId: 'po_1',
  },
  {
    provider: 'paypal',
    reference: 'PP5',
    sourceRef: 'ch_00000005',
    type: 'payment',
    gross: 2500,
    fee: 0,
    currency: 'EUR',
    day: 6,
  },
  {
    provider: 'paypal',
    reference: 'PP7',
    sourceRef: 'ch_00000007',
    type: 'payment',
    gross: 6000,
    fee: 239,
    currency: 'USD',
    day: 8,
  },
  // Outside the period and of no key in it: not part of the run.
  {
    provider: 'paypal',
    reference: 'PPX',
    sourceRef: 'ch_february',
    type: 'payment',
    gross: 10,
    fee: 0,
    currency: 'USD',
    day: 0,
  },
];

beforeAll(async () => {
  ({ database, db } = await openDb('ledger_recon_lines'));
  const events: AnyEvent[] = [
    ...[paidOut, inTransit, amountOff, feeOff, currencyOff, notAtProvider, paypalOk].map((d) =>
      d.succeeded(),
    ),
    inTransit.refunded('re_2', 1000, 1000),
  ];
  for (const e of events)
    await db.$transaction((tx) =>
      applyPaymentEvent(tx, e as PaymentEvent, { namespace: 'recon-lines.' }),
    );
  const importId = randomUUID();
  await db.statementLine.createMany({
    data: statement.map((s) => ({
      provider: s.provider,
      reference: s.reference,
      sourceRef: s.sourceRef,
      type: s.type,
      grossMinor: BigInt(s.gross),
      feeMinor: BigInt(s.fee),
      netMinor: BigInt(s.gross - s.fee),
      currency: s.currency,
      createdAt: new Date(s.day === 0 ? '2025-02-20T10:00:00Z' : at(s.day, s.hour)),
      payoutId: s.payoutId ?? null,
      importId,
    })),
  });
}, 60_000);

afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const fund = 'specialist-training';
const line = (l: Record<string, unknown>) => ({
  statementCurrency: null,
  statementGross: null,
  statementFee: null,
  statementNet: null,
  statementRefs: null,
  ledgerCurrency: null,
  ledgerGross: null,
  ledgerFee: null,
  ledgerEntries: 0,
  fund: null,
  payoutId: null,
  resolution: null,
  ...l,
});
const stmt = (currency: string, gross: number, fee: number, refs: string) => ({
  statementCurrency: currency,
  statementGross: gross,
  statementFee: fee,
  statementNet: gross - fee,
  statementRefs: refs,
});
const ledger = (currency: string, gross: number, fee: number, entries: number) => ({
  ledgerCurrency: currency,
  ledgerGross: gross,
  ledgerFee: fee,
  ledgerEntries: entries,
  fund,
});

/** Key order: provider, type, ref (bytewise), each key once. */
const expected = [
  line({
    lineNo: 1,
    provider: 'paypal',
    type: 'payment',
    ref: 'ch_00000005',
    status: 'currency-mismatch',
    ...stmt('EUR', 2500, 0, 'PP5'),
    ...ledger('USD', 2500, 0, 1),
    occurredAt: at(6),
    detail: 'provider 2500 EUR, ledger 2500 USD',
  }),
  line({
    lineNo: 2,
    provider: 'paypal',
    type: 'payment',
    ref: 'ch_00000006',
    status: 'missing-at-provider',
    ...ledger('USD', 1500, 0, 1),
    occurredAt: at(7),
    detail: 'the ledger has payment ch_00000006 (1500 USD) but no statement line reports it',
  }),
  line({
    lineNo: 3,
    provider: 'paypal',
    type: 'payment',
    ref: 'ch_00000007',
    status: 'matched',
    ...stmt('USD', 6000, 239, 'PP7'),
    ...ledger('USD', 6000, 239, 2),
    occurredAt: at(8),
    detail: '',
  }),
  line({
    lineNo: 4,
    provider: 'stripe',
    type: 'payment',
    ref: 'ch_00000001',
    status: 'matched',
    ...stmt('BYN', 10000, 320, 'txn_1a,txn_1b'),
    ...ledger('BYN', 10000, 320, 2),
    payoutId: 'po_1',
    occurredAt: at(2),
    detail: '',
  }),
  line({
    lineNo: 5,
    provider: 'stripe',
    type: 'payment',
    ref: 'ch_00000002',
    status: 'in-transit',
    ...stmt('BYN', 5000, 175, 'txn_2'),
    ...ledger('BYN', 5000, 175, 2),
    occurredAt: at(3),
    detail: 'matched; not yet paid out to the bank',
  }),
  line({
    lineNo: 6,
    provider: 'stripe',
    type: 'payment',
    ref: 'ch_00000003',
    status: 'amount-mismatch',
    ...stmt('BYN', 7500, 233, 'txn_3'),
    ...ledger('BYN', 7000, 233, 2),
    payoutId: 'po_1',
    occurredAt: at(4),
    detail: 'gross 7500 BYN at the provider, 7000 BYN in the ledger (difference 500)',
  }),
  line({
    lineNo: 7,
    provider: 'stripe',
    type: 'payment',
    ref: 'ch_00000004',
    status: 'fee-mismatch',
    ...stmt('BYN', 4000, 150, 'txn_4'),
    ...ledger('BYN', 4000, 146, 2),
    payoutId: 'po_1',
    occurredAt: at(5),
    detail: 'fee 150 BYN at the provider, 146 BYN in the ledger (difference 4)',
  }),
  line({
    lineNo: 8,
    provider: 'stripe',
    type: 'payment',
    ref: 'ch_ghost',
    status: 'missing-in-ledger',
    ...stmt('BYN', 3000, 117, 'txn_g1,txn_g2'),
    payoutId: 'po_1',
    occurredAt: at(10),
    detail:
      'the provider reports payment ch_ghost (3000 BYN + 100 USD) but the ledger has no entry for it',
  }),
  line({
    lineNo: 9,
    provider: 'stripe',
    type: 'refund',
    ref: 're_2',
    status: 'in-transit',
    ...stmt('BYN', -1000, 0, 'txn_2r'),
    ...ledger('BYN', -1000, 0, 1),
    occurredAt: at(9),
    detail: 'matched; not yet paid out to the bank',
  }),
];

describe('reconciliation lines', () => {
  it('classifies a mixed period line by line, in key order, with both sides summed per key', async () => {
    const run = await reconcile(db, {
      from: new Date('2025-03-01'),
      to: new Date('2025-04-01'),
      provider: null,
      createdBy: 'test',
    });
    expect(run.status).toBe('completed');
    const lines = await runLines(db, run.id, { limit: 100 });
    expect(lines).toEqual(expected);
    expect(run.summary).toEqual({
      lines: 9,
      discrepancies: 5,
      counts: {
        matched: 2,
        'in-transit': 2,
        'amount-mismatch': 1,
        'fee-mismatch': 1,
        'currency-mismatch': 1,
        'missing-in-ledger': 1,
        'missing-at-provider': 1,
        'payout-mismatch': 0,
      },
    });
    // The fingerprint stored at completion is the one of the CSV a download gives.
    const csv = createHash('sha256');
    for await (const chunk of reconciliationCsv(db, run.id)) csv.update(chunk as Buffer);
    expect(run.csvSha256).toBe(csv.digest('hex'));
  });
});

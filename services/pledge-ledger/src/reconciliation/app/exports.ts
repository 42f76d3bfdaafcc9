import type { Readable } from 'node:stream';
import { isCurrency, toMajorString } from '@bfi/money';
import type { Db, Tx } from '../../db/client';
import { fundTotals, journalPage, listFunds, type GroupBy } from '../../ledger';
import { allRunLines } from '../db/reconciliation-repo';
import { csvStream, type Row } from './csv-writer';

// Column orders are part of the contract with accounting imports: append, never reorder.
// Amounts: `*_minor` are signed integer minor units; `amount` is the same in major units.

export const JOURNAL_COLUMNS = [
  'seq',
  'entry_id',
  'occurred_at',
  'posted_at',
  'kind',
  'idempotency_key',
  'donation_id',
  'channel',
  'office_id',
  'provider',
  'provider_ref',
  'description',
  'line_no',
  'account',
  'account_type',
  'fund',
  'currency',
  'debit_minor',
  'credit_minor',
  'amount',
  'entry_hash',
] as const;

export const RECONCILIATION_COLUMNS = [
  'run_id',
  'line_no',
  'provider',
  'type',
  'ref',
  'status',
  'statement_currency',
  'statement_gross_minor',
  'statement_fee_minor',
  'statement_net_minor',
  'ledger_currency',
  'ledger_gross_minor',
  'ledger_fee_minor',
  'gross_difference_minor',
  'fee_difference_minor',
  'fund',
  'payout_id',
  'occurred_at',
  'statement_refs',
  'ledger_entries',
  'detail',
] as const;

export const FUND_TOTALS_COLUMNS = [
  'fund',
  'currency',
  'group_by',
  'group',
  'gross_minor',
  'fees_minor',
  'refunds_minor',
  'disputes_lost_minor',
  'disputes_held_minor',
  'net_minor',
  'available_minor',
  'donations',
  /** What donors added to pay the fees (fee-cover credits borne by this fund); net counts it. */
  'covered_fees_minor',
] as const;

const major = (minor: number, currency: string) =>
  isCurrency(currency) ? toMajorString({ minor, currency }) : '';

/** Journal lines (one row per line) of entries that occurred in [from, to), in chain order. */
export function journalCsv(db: Db, q: { from?: Date; to?: Date; fund?: string }): Readable {
  async function* rows(): AsyncGenerator<Row> {
    let after: number | undefined;
    for (;;) {
      const page = await journalPage(db, { ...q, after, limit: 500 });
      for (const e of page.entries) {
        for (const l of e.lines) {
          yield [
            e.seq,
            e.id,
            e.occurredAt,
            e.postedAt,
            e.kind,
            e.idempotencyKey,
            e.donationId,
            e.channel,
            e.officeId,
            e.provider,
            e.providerRef,
            e.description,
            l.lineNo,
            l.account,
            l.accountType,
            l.fund,
            l.currency,
            l.amount > 0 ? l.amount : 0,
            l.amount < 0 ? -l.amount : 0,
            major(l.amount, l.currency),
            e.hash,
          ];
        }
      }
      if (page.nextAfter === null) return;
      after = page.nextAfter;
    }
  }
  return csvStream({ columns: JOURNAL_COLUMNS, decimal: ['amount'] }, rows());
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/**
 * Every line of a run in line order. A run never changes, so neither does this file: its
 * SHA-256 (printed in the PDF footer) identifies it. Resolutions are read from the API.
 */
export function reconciliationCsv(db: Db | Tx, runId: string): Readable {
  async function* rows(): AsyncGenerator<Row> {
    // No resolutions: the CSV has no column for them, and their lookup is a subquery per line
    // in the database (this runs for every download and for the run's own fingerprint).
    for await (const l of allRunLines(db, runId, false, 5000, false)) {
      const sameCurrency = l.statementCurrency === l.ledgerCurrency;
      yield [
        runId,
        l.lineNo,
        l.provider,
        l.type,
        l.ref,
        l.status,
        l.statementCurrency,
        l.statementGross,
        l.statementFee,
        l.statementNet,
        l.ledgerCurrency,
        l.ledgerGross,
        l.ledgerFee,
        sameCurrency ? diff(l.statementGross, l.ledgerGross) : null,
        sameCurrency ? diff(l.statementFee, l.ledgerFee) : null,
        l.fund,
        l.payoutId,
        l.occurredAt,
        l.statementRefs,
        l.ledgerEntries,
        l.detail,
      ];
    }
  }
  return csvStream({ columns: RECONCILIATION_COLUMNS }, rows());
}

/** Totals of every fund (or one) per currency and group, from the journal. */
export function fundTotalsCsv(
  db: Db,
  q: { from?: Date; to?: Date; groupBy: GroupBy; fund?: string },
): Readable {
  async function* rows(): AsyncGenerator<Row> {
    const funds = q.fund ? [q.fund] : (await listFunds(db)).map((f) => f.slug);
    for (const fund of funds) {
      for (const t of await fundTotals(db, { ...q, fund })) {
        yield [
          fund,
          t.currency,
          q.groupBy,
          t.group ?? null,
          t.gross,
          t.fees,
          t.refunds,
          t.disputesLost,
          t.disputesHeld,
          t.net,
          t.available,
          t.count,
          t.coveredFees,
        ];
      }
    }
  }
  return csvStream({ columns: FUND_TOTALS_COLUMNS }, rows());
}

// The ledger as the reconciliation module sees it: the ONE file reconciliation/** may import
// from ledger/** (eslint.config.mjs enforces it). Everything reconciliation needs is here —
// reading funds, journal entries and fund totals of a period, and posting a correction entry —
// so that moving reconciliation into its own deployable later means putting an HTTP or event
// client behind these same functions, not rewriting its use cases.
//
// Not behind this door (yet): reconciliation's matching SQL (reconciliation/db/recon-sides.ts)
// reads journal_entry / journal_line / ledger_correction directly, one merge join inside one
// REPEATABLE READ snapshot. A separate deployable would replicate those columns (or get a
// journal export) instead; see docs/ARCHITECTURE.md "pledge-ledger: two modules".
import type { Db, Tx } from '../db/client';
import type { EntryDraft } from './domain/entries';
import { noSuchFund } from './domain/errors';
import { findFund, type FundRecord } from './db/funds-repo';
import { appendEntries } from './db/journal-repo';

export type { ProviderName, Account } from './domain/accounts';
export { bankAccount, clearingAccount, feesAccount, fundAccount } from './domain/accounts';
export { balanced, type EntryDraft, type LineDraft } from './domain/entries';
export { feeBearer, type Fund } from './domain/funds';
export { LedgerError, noSuchFund, type LedgerErrorKind } from './domain/errors';
export type { FundRecord } from './db/funds-repo';
export type { FundTotalsRow, GroupBy } from './db/totals-repo';
export type { JournalEntryView, JournalQuery } from './db/journal-query';

/** Funds, oldest first. */
export { listFunds } from './db/funds-repo';
/** A page of journal entries with their lines (period, fund, donation …; keyset on seq). */
export { journalPage } from './db/journal-query';
/** Fund totals of a period (gross, fees, refunds, disputes, net, count) per currency/group. */
export { fundTotals } from './db/totals-repo';

/** The fund, or the one "no such fund" refusal (404, or 422 where the fund came in a body). */
export async function requireFund(
  db: Db | Tx,
  slug: string,
  kind: 'not-found' | 'unprocessable' = 'not-found',
): Promise<FundRecord> {
  const fund = await findFund(db, slug);
  if (!fund) throw noSuchFund(slug, kind);
  return fund;
}

/**
 * Waits for, then holds until commit, the ledger's posting lock (the hash-chain head): checks
 * made after it see the same ledger the next posting of this transaction appends to.
 */
export async function holdPostingLock(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM ledger_chain_head WHERE id = 1 FOR UPDATE`;
}

/** Posts one correction entry (balanced, hash-chained) in the caller's transaction. */
export async function postCorrection(
  tx: Tx,
  draft: EntryDraft,
): Promise<{ id: string; seq: number }> {
  const [posted] = await appendEntries(tx, [draft], null);
  return { id: posted!.id, seq: posted!.seq };
}

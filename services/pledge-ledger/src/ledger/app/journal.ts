import type { Db } from '../../db/client';
import { verifyChain } from '../db/audit';
import { journalPage, type JournalQuery } from '../db/journal-query';
import { campaignTotals } from '../db/totals-repo';

/** A page of the journal; `nextCursor` is the last seq of the page (the one cursor style). */
export async function readJournal(db: Db, q: JournalQuery) {
  const page = await journalPage(db, q);
  return {
    entries: page.entries,
    nextCursor: page.nextAfter === null ? null : String(page.nextAfter),
  };
}

export const auditChain = (db: Db) => verifyChain(db);

export const publicTotals = (db: Db) => campaignTotals(db);

/** Events waiting for the event they depend on (e.g. a refund that came before its payment). */
export async function parkedEvents(db: Db) {
  const rows = await db.parkedEvent.findMany({ orderBy: { seq: 'asc' }, take: 1000 });
  return {
    parked: rows.map((r) => ({
      eventId: r.eventId,
      donationId: r.donationId,
      type: r.type,
      reason: r.reason,
      parkedAt: r.parkedAt.toISOString(),
      // Refused on replay: on its way to the dead-letter topic (gone from here within a second).
      refusedAt: r.refusedAt?.toISOString() ?? null,
    })),
  };
}

import type { Prisma } from '../../db/generated/client';
import { toNumber, type Db } from '../../db/client';

export interface JournalQuery {
  from?: Date;
  to?: Date;
  fund?: string;
  donationId?: string;
  providerRef?: string;
  /** seq of the last entry of the previous page. */
  after?: number;
  limit: number;
}

export interface JournalEntryView {
  id: string;
  seq: number;
  kind: string;
  idempotencyKey: string;
  donationId: string | null;
  fund: string | null;
  channel: string | null;
  officeId: string | null;
  provider: string | null;
  providerRef: string | null;
  sourceEventId: string | null;
  description: string;
  occurredAt: string;
  postedAt: string;
  prevHash: string;
  hash: string;
  lines: {
    lineNo: number;
    account: string;
    accountType: string;
    fund: string | null;
    currency: string;
    amount: number;
  }[];
}

const withLines = { lines: { orderBy: { lineNo: 'asc' } } } as const;
type EntryRow = Prisma.JournalEntryGetPayload<{ include: typeof withLines }>;

/** Keyset pagination on seq: stable under concurrent appends, no OFFSET scans. */
export async function journalPage(
  db: Db,
  q: JournalQuery,
): Promise<{ entries: JournalEntryView[]; nextAfter: number | null }> {
  const where: Prisma.JournalEntryWhereInput = {
    ...(q.after !== undefined ? { seq: { gt: BigInt(q.after) } } : {}),
    ...(q.from || q.to
      ? { occurredAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } }
      : {}),
    ...(q.donationId ? { donationId: q.donationId } : {}),
    ...(q.providerRef ? { providerRef: q.providerRef } : {}),
    ...(q.fund ? { OR: [{ fund: q.fund }, { lines: { some: { fund: q.fund } } }] } : {}),
  };
  const rows = await db.journalEntry.findMany({
    where,
    orderBy: { seq: 'asc' },
    take: q.limit + 1,
    include: withLines,
  });
  const page = rows.slice(0, q.limit).map(toView);
  const last = page.at(-1);
  return { entries: page, nextAfter: rows.length > q.limit && last ? last.seq : null };
}

export function toView(e: EntryRow): JournalEntryView {
  return {
    id: e.id,
    seq: toNumber(e.seq),
    kind: e.kind,
    idempotencyKey: e.idempotencyKey,
    donationId: e.donationId,
    fund: e.fund,
    channel: e.channel,
    officeId: e.officeId,
    provider: e.provider,
    providerRef: e.providerRef,
    sourceEventId: e.sourceEventId,
    description: e.description,
    occurredAt: e.occurredAt.toISOString(),
    postedAt: e.postedAt.toISOString(),
    prevHash: e.prevHash,
    hash: e.hash,
    lines: e.lines.map((l) => ({
      lineNo: l.lineNo,
      account: l.account,
      accountType: l.accountType,
      fund: l.fund,
      currency: l.currency,
      amount: toNumber(l.amountMinor),
    })),
  };
}

/** Entries in chain order, a batch at a time (for the audit walk and exports). */
export async function* entriesInOrder(db: Db, batchSize = 1000): AsyncGenerator<JournalEntryView> {
  let after = 0;
  for (;;) {
    const rows = await db.journalEntry.findMany({
      where: { seq: { gt: BigInt(after) } },
      orderBy: { seq: 'asc' },
      take: batchSize,
      include: withLines,
    });
    for (const row of rows) yield toView(row);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = toNumber(last.seq);
  }
}

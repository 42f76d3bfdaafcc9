import { createEvent, type FundStatus } from '@bfi/events';
import { enqueue } from '@bfi/messaging';
import type { FeePolicy, Fund } from '../domain';
import type { Db, Tx } from '../../db/client';

/** A fund as stored: the domain's Fund plus whether it takes new gifts, and its version. */
export interface FundRecord extends Fund {
  status: FundStatus;
  version: number;
}

type Row = {
  slug: string;
  name: string;
  restricted: boolean;
  feePolicy: string;
  description: string | null;
  status: string;
  version: number;
  updatedAt: Date;
};

const toFund = (r: Row): FundRecord => ({
  slug: r.slug,
  name: r.name,
  restricted: r.restricted,
  feePolicy: r.feePolicy as FeePolicy,
  description: r.description,
  status: r.status as FundStatus,
  version: r.version,
});

const FUND_SOURCE = '/services/pledge-ledger';

/** ledger.fund-changed.v1 with the fund's whole state, written in the change's transaction. */
async function announce(tx: Tx, row: Row, namespace: string): Promise<void> {
  const event = createEvent(
    'ledger.fund-changed.v1',
    {
      slug: row.slug,
      name: row.name,
      status: row.status as FundStatus,
      restricted: row.restricted,
      version: row.version,
      changedAt: row.updatedAt.toISOString(),
    },
    { source: FUND_SOURCE },
  );
  await enqueue(tx, [event], namespace);
  await tx.fund.update({ where: { slug: row.slug }, data: { publishedVersion: row.version } });
}

export async function listFunds(db: Db | Tx): Promise<FundRecord[]> {
  return (await db.fund.findMany({ orderBy: { createdAt: 'asc' } })).map(toFund);
}

export async function findFund(db: Db | Tx, slug: string): Promise<FundRecord | null> {
  const row = await db.fund.findUnique({ where: { slug } });
  return row ? toFund(row) : null;
}

/** Creates a fund and announces it; false when the slug is taken. */
export async function createFund(db: Db, fund: Fund, namespace: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO fund (slug, name, restricted, fee_policy, description)
      VALUES (${fund.slug}, ${fund.name}, ${fund.restricted}, ${fund.feePolicy}, ${fund.description})
      ON CONFLICT (slug) DO NOTHING`;
    if (inserted !== 1) return false;
    await announce(tx, await tx.fund.findUniqueOrThrow({ where: { slug: fund.slug } }), namespace);
    return true;
  });
}

/** Opens or closes a fund (a new version, announced); null when there is no such fund. */
export async function setFundStatus(
  db: Db,
  slug: string,
  status: FundStatus,
  namespace: string,
): Promise<FundRecord | null> {
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status FROM fund WHERE slug = ${slug} FOR UPDATE`;
    if (!current) return null;
    if (current.status === status) return findFund(tx, slug);
    const row = await tx.fund.update({
      where: { slug },
      data: { status, version: { increment: 1 }, updatedAt: new Date() },
    });
    await announce(tx, row, namespace);
    return toFund(row);
  });
}

/**
 * Announces every fund whose current version was never published: the funds the migrations
 * seed, and any written before funds were announced. Run at start; idempotent (rows are locked
 * and marked in the same transaction, so two replicas starting together announce each once).
 */
export async function announceUnpublishedFunds(db: Db, namespace: string): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ slug: string }[]>`
      SELECT slug FROM fund WHERE published_version IS DISTINCT FROM version
      ORDER BY created_at FOR UPDATE`;
    for (const { slug } of rows)
      await announce(tx, await tx.fund.findUniqueOrThrow({ where: { slug } }), namespace);
    return rows.length;
  });
}

import type { FeePolicy, Fund } from '../domain';
import type { Db, Tx } from './client';

type Row = {
  slug: string;
  name: string;
  restricted: boolean;
  feePolicy: string;
  description: string | null;
};

const toFund = (r: Row): Fund => ({
  slug: r.slug,
  name: r.name,
  restricted: r.restricted,
  feePolicy: r.feePolicy as FeePolicy,
  description: r.description,
});

export async function listFunds(db: Db | Tx): Promise<Fund[]> {
  return (await db.fund.findMany({ orderBy: { createdAt: 'asc' } })).map(toFund);
}

export async function findFund(db: Db | Tx, slug: string): Promise<Fund | null> {
  const row = await db.fund.findUnique({ where: { slug } });
  return row ? toFund(row) : null;
}

/** Creates a fund; false when the slug is taken. */
export async function createFund(db: Db, fund: Fund): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO fund (slug, name, restricted, fee_policy, description)
    VALUES (${fund.slug}, ${fund.name}, ${fund.restricted}, ${fund.feePolicy}, ${fund.description})
    ON CONFLICT (slug) DO NOTHING`;
  return inserted === 1;
}

import type { DataOf } from '@bfi/events';
import type { Db, Tx } from './repository';

export type FundChange = DataOf<'ledger.fund-changed.v1'>;

/**
 * Stores the fund's state if it is newer than what payment holds. Events carry the whole state
 * and a version, so a repeated or late (older) event changes nothing.
 */
export async function applyFundChange(tx: Tx, fund: FundChange): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO fund (slug, name, status, restricted, version, changed_at)
    VALUES (${fund.slug}, ${fund.name}, ${fund.status}, ${fund.restricted}, ${fund.version},
            ${new Date(fund.changedAt)})
    ON CONFLICT (slug) DO UPDATE SET
      name = EXCLUDED.name, status = EXCLUDED.status, restricted = EXCLUDED.restricted,
      version = EXCLUDED.version, changed_at = EXCLUDED.changed_at, received_at = now()
    WHERE fund.version < EXCLUDED.version`;
}

export async function findFund(db: Db, slug: string) {
  return db.fund.findUnique({ where: { slug } });
}

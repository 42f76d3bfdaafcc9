import { minorFromColumn } from '@bfi/money';
import { PrismaClient, type Prisma } from './generated/client';

export { PrismaClient };
export type Db = PrismaClient;
/** The client handed to a `$transaction` callback (and to inbox handlers). */
export type Tx = Prisma.TransactionClient;

/**
 * bigint from a BIGINT column → number, through @bfi/money's one checked conversion (whole, and
 * within exact integers; amounts are validated safe integers on the way in).
 */
export function toNumber(value: bigint | number): number {
  return minorFromColumn(value);
}

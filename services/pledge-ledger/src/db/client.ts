import { PrismaClient, type Prisma } from './generated/client';

export { PrismaClient };
export type Db = PrismaClient;
/** The client handed to a `$transaction` callback (and to inbox handlers). */
export type Tx = Prisma.TransactionClient;

/** bigint from a BIGINT column → number; amounts are validated safe integers on the way in. */
export function toNumber(value: bigint | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new Error(`stored amount ${value} is beyond the safe integer range`);
  return n;
}

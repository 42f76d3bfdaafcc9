import { PrismaClient } from './generated/client';

export { PrismaClient };
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
/** Either: read helpers work inside and outside a transaction. */
export type Reader = Db | Tx;

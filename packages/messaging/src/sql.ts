/**
 * The slice of a Prisma client the outbox and inbox need. Every generated Prisma client
 * (and its interactive-transaction client) fits it structurally, so messaging stays
 * independent of any one service's schema.
 */
export interface SqlTx {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface TransactionOptions {
  maxWait?: number;
  timeout?: number;
}

export interface SqlDb<Tx extends SqlTx = SqlTx> extends SqlTx {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: TransactionOptions): Promise<R>;
}

import type { Logger } from '@bfi/messaging';
import type { Db } from '../../db/client';

/** What the ledger's use cases take (the service builds it once). */
export interface LedgerDeps {
  db: Db;
  logger: Logger;
  /** Topic namespace of the events a fund change announces. */
  namespace: string;
  /** After a commit that wrote to the outbox: publish now, not at the next poll. */
  onCommitted: () => void;
}

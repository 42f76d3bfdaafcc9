import { TOPICS } from '@bfi/events';
import { InboxConsumer, type Logger, type Transport } from '@bfi/messaging';
import { applyFundChange } from '../db/funds';
import type { Db, Tx } from '../db/repository';

/**
 * ledger.funds → payment's fund table, through the inbox (dedupe by event id), retries and the
 * DLQ. Payment learns the funds by events, so taking a gift never waits on the ledger. Consumer
 * group and inbox name: `<namespace>payment`.
 */
export function createFundConsumer(deps: {
  db: Db;
  transport: Transport;
  namespace: string;
  logger: Logger;
}): InboxConsumer<Tx> {
  return new InboxConsumer<Tx>({
    name: `${deps.namespace}payment`,
    transport: deps.transport,
    db: deps.db,
    topics: [deps.namespace + TOPICS.funds],
    logger: deps.logger,
    batchSize: 100,
    handlers: {
      'ledger.fund-changed.v1': async (event, tx) => {
        await applyFundChange(tx, event.data);
      },
    },
  });
}

import { TOPICS } from '@bfi/events';
import { InboxConsumer, type Logger, type Transport } from '@bfi/messaging';
import { applyFundChange } from '../db/funds';
import type { Db, Tx } from '../db/repository';

export interface FundCatalogueDeps {
  db: Db;
  transport: Transport;
  namespace: string;
  logger: Logger;
}

/**
 * ledger.funds → payment's fund table, through the inbox (dedupe by event id), retries and the
 * DLQ. Payment learns the funds by events, so taking a gift never waits on the ledger. Consumer
 * group and inbox name: `<namespace>payment`.
 */
export class FundCatalogue {
  private readonly consumer: InboxConsumer<Tx>;
  private running = false;

  constructor(private readonly deps: FundCatalogueDeps) {
    this.consumer = new InboxConsumer<Tx>({
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

  async start(): Promise<void> {
    await this.consumer.start();
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.stop();
  }

  /** Readiness: consuming, and at least one fund arrived (before that every gift is refused). */
  async check(): Promise<void> {
    if (!this.running) throw new Error('the fund event consumer (ledger.funds) is not running');
    if ((await this.deps.db.fund.count()) === 0)
      throw new Error('no fund announced by the ledger yet (ledger.funds): gifts would be refused');
  }

  /** Resolves once the ledger's funds have arrived (the first start of a suite waits for it). */
  async known(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.deps.db.fund.count()) === 0) {
      if (Date.now() > deadline)
        throw new Error(`payment learnt no fund from ledger.funds within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

import { TOPICS } from '@bfi/events';
import { deadLetterRecord, Ticker, type Logger, type Publisher } from '@bfi/messaging';
import type { Db } from '../../db/client';
import { consumerName } from './payment-consumer';

const BATCH = 100;

/**
 * Moves parked events that were refused on replay (a refund larger than the donation once the
 * donation arrived, …) to the payment topic's dead-letter topic, with the reason, like any other
 * refused event. The refusal is committed first (marked in parked_event); the row is deleted
 * only after the broker has the DLQ record, so a crash in between dead-letters it twice, never
 * zero times.
 */
export class RefusedParkedSweeper {
  private readonly ticker: Ticker;

  constructor(
    private readonly deps: { db: Db; publisher: Publisher; namespace: string; logger: Logger },
    intervalMs = 1000,
  ) {
    // A full batch means there may be more: the ticker runs the next one at once.
    this.ticker = new Ticker(
      async () => ((await this.moveBatch()) === BATCH ? 'again' : undefined),
      {
        name: 'dead-letter refused parked events',
        everyMs: intervalMs,
        runAtStart: true,
        logger: deps.logger,
      },
    );
  }

  start(): void {
    this.ticker.start();
  }

  /** Sweeps now (after a commit that may have refused parked events). */
  nudge(): void {
    this.ticker.nudge();
  }

  async stop(): Promise<void> {
    await this.ticker.stop();
  }

  private async moveBatch(): Promise<number> {
    const { db, publisher, namespace, logger } = this.deps;
    const rows = await db.parkedEvent.findMany({
      where: { refusedAt: { not: null } },
      orderBy: { seq: 'asc' },
      take: BATCH,
    });
    if (rows.length === 0) return 0;
    await publisher.send(
      rows.map((r) =>
        deadLetterRecord({
          topic: namespace + TOPICS.payment,
          key: r.donationId,
          value: r.payload,
          reason: 'refused',
          error: r.reason,
          consumer: consumerName(namespace),
          source: `parked_event/${r.seq}`,
        }),
      ),
    );
    const eventIds = rows.map((r) => r.eventId);
    // The inbox row written when it was parked goes too: the event had no effect, so a replay
    // from the dead-letter topic must be applied, not taken for a duplicate.
    await db.$transaction([
      db.parkedEvent.deleteMany({ where: { eventId: { in: eventIds } } }),
      db.inboxEvent.deleteMany({
        where: { consumer: consumerName(namespace), eventId: { in: eventIds } },
      }),
    ]);
    for (const r of rows)
      logger.error({ eventId: r.eventId, reason: r.reason }, 'parked event dead-lettered');
    return rows.length;
  }
}

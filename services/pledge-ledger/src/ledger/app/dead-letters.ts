import { DEAD_LETTER_REPLAYS_TOPIC, TOPICS } from '@bfi/events';
import { DeadLetters, type Logger, type Transport } from '@bfi/messaging';
import { LedgerError } from '../domain';

/**
 * Dead letters of every consumer of the suite (payment, ledger, reward topics), for finance or
 * admin: read them, fix the cause (say, create the fund), then send them back to their topic.
 * The consumers' inboxes dedupe, so a replay applies each event at most once.
 */
export function deadLetterDesk(deps: { transport: Transport; namespace: string; logger: Logger }) {
  const deadLetters = new DeadLetters({
    transport: deps.transport,
    topics: Object.values(TOPICS).map((t) => deps.namespace + t),
    replayLogTopic: deps.namespace + DEAD_LETTER_REPLAYS_TOPIC,
    logger: deps.logger,
  });
  return {
    list: async () => ({ deadLetters: await deadLetters.list() }),
    async replay(which: { id: string } | { all: true }, by: string) {
      const result = await deadLetters.replay(which, by);
      if (!result)
        throw new LedgerError(
          'not-found',
          `There is no dead letter ${'id' in which ? which.id : ''}. GET /dead-letters lists them.`,
        );
      return result;
    },
  };
}

export type DeadLetterDesk = ReturnType<typeof deadLetterDesk>;

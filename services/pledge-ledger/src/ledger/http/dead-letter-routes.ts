import { DEAD_LETTER_REPLAYS_TOPIC, TOPICS } from '@bfi/events';
import { notFound, parseInput, principalOf, requireRole } from '@bfi/http';
import { DeadLetters, type Logger, type Transport } from '@bfi/messaging';
import type { Express } from 'express';
import { ReplayBody } from './schemas';

/**
 * Dead letters of every consumer of the suite (payment, ledger, reward topics), for finance or
 * admin: read them, fix the cause (say, create the fund), then send them back to their topic.
 * The consumers' inboxes dedupe, so a replay applies each event at most once.
 */
export function mountDeadLetterRoutes(
  app: Express,
  deps: { transport: Transport; namespace: string; logger: Logger },
): void {
  const finance = requireRole('finance');
  const deadLetters = new DeadLetters({
    transport: deps.transport,
    topics: Object.values(TOPICS).map((t) => deps.namespace + t),
    replayLogTopic: deps.namespace + DEAD_LETTER_REPLAYS_TOPIC,
    logger: deps.logger,
  });

  app.get('/dead-letters', finance, async (_req, res) => {
    res.set('cache-control', 'no-store').json({ deadLetters: await deadLetters.list() });
  });

  app.post('/dead-letters/replay', finance, async (req, res) => {
    const body = parseInput(ReplayBody, req.body ?? {});
    const by = principalOf(req).name;
    const result = await deadLetters.replay('id' in body ? { id: body.id } : { all: true }, by);
    if (!result)
      throw notFound(
        `There is no dead letter ${'id' in body ? body.id : ''}. GET /dead-letters lists them.`,
      );
    res.set('cache-control', 'no-store').json(result);
  });
}

import { TOPICS } from '@bfi/events';
import { InboxConsumer, type Logger, type Transport } from '@bfi/messaging';
import { Counter, register } from 'prom-client';
import type { Tx } from '../db/client';
import type { RewardContext } from '../app/context';
import { decideReward } from '../app/decide';
import { revokeReward } from '../app/revoke';

/**
 * Consumer group and inbox key, prefixed by the topic namespace: two environments (or test
 * runs) on one cluster must never share a group, or Kafka hands one run's partitions to the
 * other. Stable across deploys (changing it replays the topic).
 */
export const CONSUMER_NAME = 'reward';
export const consumerName = (namespace: string) => namespace + CONSUMER_NAME;

const decisions =
  (register.getSingleMetric('reward_decisions_total') as Counter<string>) ??
  new Counter({
    name: 'reward_decisions_total',
    help: 'Reward decisions by outcome',
    labelNames: ['outcome'],
  });
const revocations =
  (register.getSingleMetric('reward_reversals_total') as Counter<string>) ??
  new Counter({
    name: 'reward_reversals_total',
    help: 'Donation reversals by effect on the reward',
    labelNames: ['outcome'],
  });

export function createLedgerConsumer(
  ctx: RewardContext,
  transport: Transport,
  logger: Logger,
  name = consumerName(ctx.namespace),
) {
  return new InboxConsumer<Tx>({
    name,
    transport,
    db: ctx.db,
    topics: [ctx.namespace + TOPICS.ledger],
    logger,
    handlers: {
      'ledger.donation-posted.v1': async (event, tx) => {
        if (event.type !== 'ledger.donation-posted.v1') return;
        const outcome = await decideReward(ctx, tx, event);
        decisions.inc({ outcome });
        logger.info({ eventId: event.id, donationId: event.subject, outcome }, 'reward decided');
        // The relay polls anyway; a nudge just after the commit publishes sooner.
        setTimeout(ctx.nudge, 25).unref();
      },
      'ledger.donation-reversed.v1': async (event, tx) => {
        if (event.type !== 'ledger.donation-reversed.v1') return;
        const outcome = await revokeReward(ctx, tx, event);
        revocations.inc({ outcome });
        logger.info(
          { eventId: event.id, donationId: event.subject, outcome },
          'donation reversal applied',
        );
        setTimeout(ctx.nudge, 25).unref();
      },
    },
  });
}

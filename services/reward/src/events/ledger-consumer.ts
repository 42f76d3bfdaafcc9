import { TOPICS, type AnyEvent, type EventOf } from '@bfi/events';
import {
  InboxConsumer,
  type BatchHandler,
  type InEventSpan,
  type Logger,
  type Transport,
} from '@bfi/messaging';
import { Counter, register } from 'prom-client';
import type { Tx } from '../db/client';
import type { RewardContext } from '../app/context';
import { decideReward } from '../app/decide';
import { decideRewards } from '../app/decide-batch';
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

type Posted = EventOf<'ledger.donation-posted.v1'>;
type Reversed = EventOf<'ledger.donation-reversed.v1'>;

export interface LedgerConsumerOptions {
  name?: string;
  /** Events applied per transaction (InboxConsumer.batchSize); 1 turns the set-based path off. */
  batchSize?: number;
}

async function revoke(ctx: RewardContext, tx: Tx, event: Reversed, logger: Logger) {
  const outcome = await revokeReward(ctx, tx, event);
  revocations.inc({ outcome });
  logger.info(
    { eventId: event.id, donationId: event.subject, outcome },
    'donation reversal applied',
  );
}

/**
 * A chunk in arrival order: each run of postings set-based (decideRewards), each reversal one by
 * one in between, so a reversal sees exactly the decisions and stock one event per transaction
 * would have shown it. One info line per run; per decision only at debug (its CPU was visible).
 */
export function ledgerBatchHandler(ctx: RewardContext, logger: Logger): BatchHandler<Tx> {
  return async (events: AnyEvent[], tx: Tx, inEventSpan: InEventSpan) => {
    let run: Posted[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const decided = await decideRewards(ctx, tx, run, inEventSpan);
      const counts: Record<string, number> = {};
      for (const { event, outcome } of decided) {
        decisions.inc({ outcome });
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        logger.debug({ eventId: event.id, donationId: event.subject, outcome }, 'reward decided');
      }
      logger.info({ decisions: decided.length, outcomes: counts }, 'rewards decided as a set');
      run = [];
    };
    for (const event of events) {
      if (event.type === 'ledger.donation-posted.v1') run.push(event);
      else if (event.type === 'ledger.donation-reversed.v1') {
        await flush();
        await inEventSpan(event, () => revoke(ctx, tx, event, logger));
      }
    }
    await flush();
  };
}

export function createLedgerConsumer(
  ctx: RewardContext,
  transport: Transport,
  logger: Logger,
  options: LedgerConsumerOptions | string = {},
) {
  const opts = typeof options === 'string' ? { name: options } : options;
  return new InboxConsumer<Tx>({
    name: opts.name ?? consumerName(ctx.namespace),
    transport,
    db: ctx.db,
    topics: [ctx.namespace + TOPICS.ledger],
    logger,
    batchSize: opts.batchSize ?? 100,
    batchHandler: ledgerBatchHandler(ctx, logger),
    // After the commit (a chunk's, or one event's): the relay publishes at once instead of polling.
    onCommitted: () => ctx.nudge(),
    handlers: {
      'ledger.donation-posted.v1': async (event, tx) => {
        if (event.type !== 'ledger.donation-posted.v1') return;
        const outcome = await decideReward(ctx, tx, event);
        decisions.inc({ outcome });
        logger.info({ eventId: event.id, donationId: event.subject, outcome }, 'reward decided');
      },
      'ledger.donation-reversed.v1': async (event, tx) => {
        if (event.type !== 'ledger.donation-reversed.v1') return;
        await revoke(ctx, tx, event, logger);
      },
    },
  });
}

import { Counter, Gauge, register } from 'prom-client';

// Registered once in the process-wide registry that every service's /metrics serves.
function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (
    (register.getSingleMetric(name) as Counter<string>) ?? new Counter({ name, help, labelNames })
  );
}

export const consumedTotal = counter(
  'messaging_events_consumed_total',
  'Events handled by an inbox consumer, by outcome (processed, duplicate, ignored, dead-lettered)',
  ['consumer', 'type', 'outcome'],
);

export const relayedTotal = counter(
  'messaging_outbox_relayed_total',
  'Outbox rows sent to the broker',
  ['relay'],
);

export const consumerLag =
  (register.getSingleMetric('messaging_consumer_lag') as Gauge<string>) ??
  new Gauge({
    name: 'messaging_consumer_lag',
    help: 'Messages on subscribed topics not yet committed by the consumer group',
    labelNames: ['consumer'],
  });

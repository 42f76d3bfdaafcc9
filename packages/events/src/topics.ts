/** Kafka topics, one per publishing service. */
export const TOPICS = {
  payment: 'payment.events',
  ledger: 'ledger.events',
  reward: 'reward.events',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Dead-letter topic for poison messages of `topic` (value kept as is, error in headers). */
export function dlqTopic<T extends string>(topic: T): `${T}.dlq` {
  return `${topic}.dlq`;
}

/** Kafka topics: one per publishing service, plus the ledger's fund catalogue. */
export const TOPICS = {
  payment: 'payment.events',
  ledger: 'ledger.events',
  reward: 'reward.events',
  /**
   * The ledger's funds, keyed by fund slug: every change carries the fund's whole state, so the
   * topic can be compacted and a new reader still learns every fund (payment's local fund table).
   */
  funds: 'ledger.funds',
} as const;

/** The record of dead letters finance replayed (packages/messaging DeadLetters), key = letter id. */
export const DEAD_LETTER_REPLAYS_TOPIC = 'dead-letters.replayed';

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Dead-letter topic for poison messages of `topic` (value kept as is, error in headers). */
export function dlqTopic<T extends string>(topic: T): `${T}.dlq` {
  return `${topic}.dlq`;
}

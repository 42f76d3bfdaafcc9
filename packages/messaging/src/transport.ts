/**
 * The one messaging contract every service uses. Two implementations keep it:
 * Kafka (kafkajs, production and tests) and in-process (the embedded `npm start` run).
 * The same contract suite (test/contract.ts) runs against both.
 */
export interface OutgoingMessage {
  topic: string;
  /** Partition key: the donation id, so all events of one donation stay in order. */
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface TransportMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

export interface BatchContext {
  /** Marks a message done; its offset is committed after the handler returns (or at commit()). */
  resolve(offset: string): void;
  /** Commits the offsets resolved so far, so a crash mid-batch replays less. */
  commit(): Promise<void>;
  heartbeat(): Promise<void>;
  /** False once the subscription is stopping: finish the message in hand, take no more. */
  isRunning(): boolean;
}

/** Called with messages of one partition, in offset order. Throwing leaves unresolved messages for redelivery. */
export type BatchHandler = (batch: TransportMessage[], ctx: BatchContext) => Promise<void>;

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
}

export interface Subscription {
  /** Resolves once the consumer has joined its group and will see new messages. */
  ready: Promise<void>;
  /** Stops fetching, lets the batch in hand finish, commits resolved offsets. */
  stop(): Promise<void>;
}

export interface Publisher {
  /** Sends all messages, acknowledged by the broker, keeping per-key order. */
  send(messages: OutgoingMessage[]): Promise<void>;
}

export interface Transport extends Publisher {
  readonly name: 'kafka' | 'in-process';
  /** Creates the topics that do not exist yet, with the cluster's default replication. */
  ensureTopics(topics: string[]): Promise<void>;
  /** The given topics that do not exist; changes nothing (for readiness probes). */
  missingTopics(topics: string[]): Promise<string[]>;
  subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  /**
   * Every message now on these topics, up to their ends at the time of the call, without joining
   * or moving any consumer group's offsets (admin reads: dead letters and their replay record).
   */
  readAll(topics: string[]): Promise<TransportMessage[]>;
  /** Pending messages per topic-partition for a group (consumer lag, for /metrics). */
  lag(groupId: string, topics: string[]): Promise<number>;
  close(): Promise<void>;
}

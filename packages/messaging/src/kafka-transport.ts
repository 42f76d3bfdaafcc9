import { setTimeout as sleep } from 'node:timers/promises';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type Producer,
  type IHeaders,
  type SASLOptions,
} from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@bfi/events';
import type { Logger } from 'pino';
import type {
  BatchHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportMessage,
} from './transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  partitions?: number;
  /** TLS to the brokers (Strimzi's TLS listener). */
  ssl?: boolean;
  /** SASL/SCRAM credentials (one KafkaUser per service, with its ACLs). */
  sasl?: {
    mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
    username: string;
    password: string;
  };
}

/**
 * Kafka through kafkajs, kept behind this one file so a later client swap stays here.
 * The producer is idempotent with one request in flight: broker-side dedupe of retried
 * sends and per-partition order. Consumers commit only offsets the handler resolved.
 */
export class KafkaTransport implements Transport {
  readonly name = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl as SASLOptions | undefined,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) =>
        options.logger.warn({ kafka: entry.namespace, ...entry.log }, entry.log.message),
      retry: { initialRetryTime: 200, retries: 8 },
    });
  }

  /**
   * Creates the topics that do not exist yet. The replication factor is the cluster's
   * (default.replication.factor): a fixed 1 would make every acks=all write to the topic fail
   * on a cluster with min.insync.replicas=2. Not for readiness probes: see missingTopics.
   */
  async ensureTopics(topics: string[]): Promise<void> {
    // Services start together on a fresh broker: one creates a topic while another's metadata
    // does not show it yet (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, "already exists").
    // Such answers are retried from a fresh listing; a wrong setting fails at once.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createMissingTopics(topics);
      } catch (err) {
        if (attempt >= 6 || !retriableTopicError(err)) {
          throw new Error(`could not create Kafka topics: ${topicErrors(err)}`, { cause: err });
        }
        this.options.logger.warn(
          { attempt, err: topicErrors(err) },
          'Kafka topics not created yet; trying again',
        );
        await sleep(250 * attempt);
      }
    }
  }

  private async createMissingTopics(topics: string[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        // No replicationFactor: kafkajs then sends -1, "the broker's default".
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 3,
          // The fund catalogue holds each fund's whole state: compaction keeps the latest of
          // every fund as long as the topic lives, so a reader started years later learns all.
          ...(topic.endsWith(TOPICS.funds)
            ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }
            : {}),
        })),
      });
    });
  }

  async missingTopics(topics: string[]): Promise<string[]> {
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      return topics.filter((t) => !existing.has(t));
    });
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      // Handlers heartbeat between events, so only one slow event could outlast the session;
      // shorter sessions let a crashed member's partitions move on sooner.
      sessionTimeout: 15000,
      rebalanceTimeout: 30000,
      heartbeatInterval: 2000,
      maxWaitTimeInMs: 200,
      retry: { initialRetryTime: 200, retries: 30 },
    });
    this.consumers.add(consumer);
    const ready = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.connect();
    for (const topic of options.topics) {
      await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    }
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        commitOffsetsIfNecessary,
        uncommittedOffsets,
        isRunning,
        isStale,
      }) => {
        const messages: TransportMessage[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key?.toString() ?? null,
          value: m.value?.toString() ?? '',
          headers: decodeHeaders(m.headers),
        }));
        await handler(messages, {
          resolve: resolveOffset,
          // With explicit offsets kafkajs commits now; without, it waits for an auto-commit
          // interval or threshold (both unset here), so only the batch's end would commit and a
          // crash would redeliver every chunk of the fetch, not just the unfinished one.
          commit: () => commitOffsetsIfNecessary(uncommittedOffsets()),
          heartbeat,
          isRunning: () => isRunning() && !isStale(),
        });
      },
    });
    return {
      ready,
      stop: async () => {
        // disconnect() waits for the batch in hand, then commits the resolved offsets.
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async readAll(topics: string[]): Promise<TransportMessage[]> {
    const ends = await this.endOffsets(topics);
    const pending = new Map([...ends].filter(([, end]) => end.high > end.low));
    if (pending.size === 0) return [];
    // kafkajs reads only through a group: a throw-away one that never commits, deleted after.
    const groupId = `${this.options.clientId}-reader-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const out: TransportMessage[] = [];
    await consumer.connect();
    try {
      const topicsWithData = [...new Set([...pending.keys()].map((k) => k.split('\u0000')[0]!))];
      for (const topic of topicsWithData) await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topics.join(', ')} took longer than 60 s`)),
          60000,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              const key = `${topic}\u0000${partition}`;
              const end = pending.get(key);
              if (!end || Number(message.offset) >= end.high) return;
              out.push({
                topic,
                partition,
                offset: message.offset,
                key: message.key?.toString() ?? null,
                value: message.value?.toString() ?? '',
                headers: decodeHeaders(message.headers),
              });
              if (Number(message.offset) >= end.high - 1) pending.delete(key);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.deleteGroup(groupId);
    }
    return out.sort(
      (a, b) =>
        a.topic.localeCompare(b.topic) ||
        a.partition - b.partition ||
        Number(a.offset) - Number(b.offset),
    );
  }

  /** Low and high watermark per `topic\0partition` of the topics that exist. */
  private endOffsets(topics: string[]) {
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const ends = new Map<string, { low: number; high: number }>();
      for (const topic of topics.filter((t) => existing.has(t))) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          ends.set(`${topic}\u0000${p.partition}`, { low: Number(p.low), high: Number(p.high) });
        }
      }
      return ends;
    });
  }

  private async deleteGroup(groupId: string) {
    await this.withAdmin((admin) => admin.deleteGroups([groupId])).catch((err: unknown) =>
      this.options.logger.warn({ err, groupId }, 'could not delete the reader group'),
    );
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    return this.withAdmin(async (admin) => {
      let total = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          const c = committed?.partitions.find((p) => p.partition === end.partition);
          const done = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
          total += Math.max(0, Number(end.high) - done);
        }
      }
      return total;
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    if (this.producer) await this.producer.disconnect();
    this.producer = undefined;
    this.connecting = undefined;
  }

  /** A short-lived admin client (kafkajs admins never auto-create topics on metadata calls). */
  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private getProducer(): Promise<Producer> {
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // The idempotent producer must not cap retries (kafkajs warns it would weaken the dedupe);
        // a send that cannot finish is bounded by the relay transaction timeout instead.
        retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: Number.MAX_SAFE_INTEGER },
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((err: unknown) => {
      this.connecting = undefined;
      throw err;
    });
    return this.connecting;
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}

/** kafkajs reports createTopics failures as an aggregate of per-topic errors: name each one. */
const RETRIABLE_TOPIC_ERRORS = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_CONTROLLER',
  'REQUEST_TIMED_OUT',
  'TOPIC_ALREADY_EXISTS',
]);

interface KafkaErrorLike {
  type?: string;
  retriable?: boolean;
  message?: string;
  errors?: KafkaErrorLike[];
  originalError?: KafkaErrorLike;
}

/** A broker still settling (or another process creating the same topic), not a wrong setting. */
function retriableTopicError(err: unknown): boolean {
  const e = err as KafkaErrorLike;
  if (e.errors?.length) return e.errors.every(retriableTopicError);
  if (e.originalError) return retriableTopicError(e.originalError);
  return e.retriable === true || RETRIABLE_TOPIC_ERRORS.has(e.type ?? '');
}

function topicErrors(err: unknown): string {
  const errors = (err as { errors?: { topic?: string; type?: string; message?: string }[] }).errors;
  if (!errors?.length) return err instanceof Error ? err.message : String(err);
  return errors.map((e) => `${e.topic}: ${e.message} (${e.type})`).join('; ');
}

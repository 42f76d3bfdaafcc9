import { EventEmitter } from 'node:events';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { backoffDelay, sleep } from './backoff';
import type { Logger } from 'pino';
import type {
  BatchHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportMessage,
} from './transport';

export interface InProcessTransportOptions {
  logger: Logger;
  partitions?: number;
  /** Folder for an append-only log and committed offsets, so the embedded run survives restarts. */
  dir?: string;
  batchSize?: number;
}

interface Stored {
  topic: string;
  partition: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * A single-process stand-in for Kafka with the same contract: partitions by key, consumer
 * groups with committed offsets, redelivery of unresolved messages. For the embedded
 * `npm start` only — tests of services run on the real broker.
 */
export class InProcessTransport implements Transport {
  readonly name = 'in-process' as const;
  private readonly log = new Map<string, Stored[][]>();
  private readonly offsets = new Map<string, number>();
  private readonly activeGroups = new Set<string>();
  private readonly wake = new EventEmitter().setMaxListeners(0);
  private readonly stops = new Set<() => Promise<void>>();
  private readonly partitions: number;
  private offsetsDirty = false;

  constructor(private readonly options: InProcessTransportOptions) {
    this.partitions = options.partitions ?? 3;
    if (options.dir) this.load(options.dir);
  }

  async ensureTopics(topics: string[]): Promise<void> {
    for (const topic of topics) this.partitionsOf(topic);
  }

  async missingTopics(topics: string[]): Promise<string[]> {
    return topics.filter((t) => !this.log.has(t));
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    const stored: Stored[] = messages.map((m) => ({
      topic: m.topic,
      partition: partitionFor(m.key, this.partitions),
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
    }));
    // One append for the whole batch (a relay sends up to 500): written before send() resolves,
    // as each line was; a torn last line on a crash was never acknowledged and is skipped.
    if (this.options.dir && stored.length > 0)
      appendFileSync(
        join(this.options.dir, 'log.jsonl'),
        stored.map((m) => JSON.stringify(m) + '\n').join(''),
      );
    for (const m of stored) this.partitionsOf(m.topic)[m.partition]!.push(m);
    this.wake.emit('message');
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    if (this.activeGroups.has(options.groupId)) {
      throw new Error(`consumer group ${options.groupId} already has a member in this process`);
    }
    this.activeGroups.add(options.groupId);
    let running = true;
    const loop = this.consume(options, handler, () => running);
    const stop = async () => {
      running = false;
      this.wake.emit('message');
      await loop;
      this.activeGroups.delete(options.groupId);
      this.stops.delete(stop);
    };
    this.stops.add(stop);
    return { ready: Promise.resolve(), stop };
  }

  async readAll(topics: string[]): Promise<TransportMessage[]> {
    return topics.flatMap((topic) =>
      this.partitionsOf(topic).flatMap((messages, partition) =>
        messages.map((m, offset) => ({
          topic,
          partition,
          offset: String(offset),
          key: m.key,
          value: m.value,
          headers: m.headers,
        })),
      ),
    );
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    let total = 0;
    for (const topic of topics) {
      this.partitionsOf(topic).forEach((p, i) => {
        total += p.length - (this.offsets.get(offsetKey(groupId, topic, i)) ?? 0);
      });
    }
    return total;
  }

  async close(): Promise<void> {
    await Promise.all([...this.stops].map((stop) => stop()));
  }

  private async consume(options: SubscribeOptions, handler: BatchHandler, running: () => boolean) {
    let failures = 0;
    while (running()) {
      try {
        const delivered = await this.deliverOnce(options, handler, running);
        failures = 0;
        if (!delivered) await this.nextMessage();
      } catch (err) {
        // Like a Kafka consumer restart: unresolved messages come again after a pause.
        failures += 1;
        this.options.logger.warn(
          { err, groupId: options.groupId },
          'handler failed; will redeliver',
        );
        await sleep(backoffDelay(failures, { initialMs: 100, maxMs: 5000 }));
      }
    }
  }

  /** Hands each partition's pending messages to the handler; false when nothing was pending. */
  private async deliverOnce(
    options: SubscribeOptions,
    handler: BatchHandler,
    running: () => boolean,
  ) {
    let any = false;
    for (const topic of options.topics) {
      const parts = this.partitionsOf(topic);
      for (let partition = 0; partition < parts.length; partition++) {
        const key = offsetKey(options.groupId, topic, partition);
        const from = this.offsets.get(key) ?? 0;
        const pending = parts[partition]!.slice(from, from + (this.options.batchSize ?? 100));
        if (pending.length === 0 || !running()) continue;
        any = true;
        const batch: TransportMessage[] = pending.map((m, i) => ({
          topic,
          partition,
          offset: String(from + i),
          key: m.key,
          value: m.value,
          headers: m.headers,
        }));
        try {
          await handler(batch, {
            resolve: (offset) => this.advance(key, Number(offset) + 1),
            commit: async () => this.saveOffsets(),
            heartbeat: async () => undefined,
            isRunning: running,
          });
        } finally {
          // Written once per delivered batch, not per resolved message: what a crash loses is
          // redelivered on restart and the consumers' inboxes absorb it (at-least-once, as Kafka).
          this.saveOffsets();
        }
      }
    }
    return any;
  }

  private advance(key: string, next: number) {
    if ((this.offsets.get(key) ?? 0) >= next) return;
    this.offsets.set(key, next);
    this.offsetsDirty = true;
  }

  private saveOffsets() {
    if (!this.offsetsDirty || !this.options.dir) return;
    this.offsetsDirty = false;
    const file = join(this.options.dir, 'offsets.json');
    writeFileSync(file + '.tmp', JSON.stringify(Object.fromEntries(this.offsets)));
    renameSync(file + '.tmp', file);
  }

  private nextMessage(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, 1000);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake.once('message', done);
    });
  }

  private partitionsOf(topic: string): Stored[][] {
    let parts = this.log.get(topic);
    if (!parts) {
      parts = Array.from({ length: this.partitions }, () => []);
      this.log.set(topic, parts);
    }
    return parts;
  }

  private load(dir: string) {
    mkdirSync(dir, { recursive: true });
    const logFile = join(dir, 'log.jsonl');
    if (existsSync(logFile)) {
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        // A torn last line (crash mid-append) was never acknowledged to the sender: skip it.
        if (!line.trim()) continue;
        try {
          const m = JSON.parse(line) as Stored;
          this.partitionsOf(m.topic)[m.partition]!.push(m);
        } catch {
          this.options.logger.warn({ line: line.slice(0, 80) }, 'skipping torn log line');
        }
      }
    }
    const offsetsFile = join(dir, 'offsets.json');
    if (existsSync(offsetsFile)) {
      for (const [k, v] of Object.entries(
        JSON.parse(readFileSync(offsetsFile, 'utf8')) as Record<string, number>,
      )) {
        this.offsets.set(k, v);
      }
    }
  }
}

function offsetKey(groupId: string, topic: string, partition: number) {
  return `${groupId}|${topic}|${partition}`;
}

/** FNV-1a: stable across restarts, so a key's partition never moves. */
function partitionFor(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

import { dlqTopic } from '@bfi/events';
import type { Logger } from 'pino';
import type { Transport, TransportMessage } from './transport';

/** One dead-lettered message, as finance sees it before deciding to replay it. */
export interface DeadLetter {
  /** `<dlq topic>/<partition>/<offset>`: names this letter for a replay. */
  id: string;
  dlqTopic: string;
  /** Where a replay sends it (the topic the consumer reads). */
  topic: string;
  reason: string;
  error: string;
  consumer: string | null;
  /** Where the consumer read it: `<topic>/<partition>/<offset>` (or `parked_event/<seq>`). */
  source: string | null;
  failedAt: string | null;
  event: { id: string | null; type: string | null; subject: string | null };
  /** When it was last replayed (null: never), and by whom. */
  replayedAt: string | null;
  replayedBy: string | null;
}

export interface ReplayResult {
  replayed: DeadLetter[];
  /** `all` leaves out letters replayed before: their events already went back once. */
  skipped: number;
}

export interface DeadLettersOptions {
  transport: Transport;
  /** The consumed topics (namespace included) whose dead-letter topics are listed. */
  topics: string[];
  /** Topic of the replay record (namespace included). */
  replayLogTopic: string;
  logger: Logger;
}

interface ReplayRecord {
  letterId: string;
  eventId: string | null;
  topic: string;
  replayedAt: string;
  by: string;
}

/**
 * Dead letters of every consumer, and their replay: a letter goes back to the topic it came from
 * (its consumer's inbox still dedupes, so a replay applies an event at most once), and the replay
 * is recorded on a topic of its own, so "replay all" sends each letter once. A replayed event that
 * fails again is dead-lettered again, as a new letter. Only Transport calls: works on both.
 */
export class DeadLetters {
  constructor(private readonly options: DeadLettersOptions) {}

  async list(): Promise<DeadLetter[]> {
    const { transport, topics, replayLogTopic } = this.options;
    const dlqs = topics.map((t) => dlqTopic(t));
    await transport.ensureTopics([...dlqs, replayLogTopic]);
    const [letters, log] = await Promise.all([
      transport.readAll(dlqs),
      transport.readAll([replayLogTopic]),
    ]);
    const replays = new Map<string, ReplayRecord>();
    for (const m of log) {
      const record = parseJson<ReplayRecord>(m.value);
      if (record?.letterId) replays.set(record.letterId, record);
    }
    return letters.map((m) => toLetter(m, replays.get(letterId(m))));
  }

  /** Replays one letter (again, if asked: the inbox absorbs it) or every letter not yet replayed. */
  async replay(which: { id: string } | { all: true }, by: string): Promise<ReplayResult | null> {
    const letters = await this.list();
    const chosen =
      'id' in which
        ? letters.filter((l) => l.id === which.id)
        : letters.filter((l) => l.replayedAt === null);
    if ('id' in which && chosen.length === 0) return null;
    if (chosen.length === 0) return { replayed: [], skipped: letters.length };
    const messages = await this.originals(chosen);
    const replayedAt = new Date().toISOString();
    // The events first, then the record: a crash in between re-sends them on the next "all",
    // which the consumers' inboxes absorb; the other order could lose a replay.
    await this.options.transport.send(messages);
    await this.options.transport.send(
      chosen.map((l) => ({
        topic: this.options.replayLogTopic,
        key: l.id,
        value: JSON.stringify({
          letterId: l.id,
          eventId: l.event.id,
          topic: l.topic,
          replayedAt,
          by,
        } satisfies ReplayRecord),
      })),
    );
    this.options.logger.info(
      { letters: chosen.map((l) => l.id), by },
      'dead letters replayed to their topics',
    );
    return {
      replayed: chosen.map((l) => ({ ...l, replayedAt, replayedBy: by })),
      skipped: letters.length - chosen.length,
    };
  }

  /** The letters' original key, value and headers (without the dlq-* ones), for their topic. */
  private async originals(chosen: DeadLetter[]) {
    const wanted = new Set(chosen.map((l) => l.id));
    const raw = await this.options.transport.readAll([...new Set(chosen.map((l) => l.dlqTopic))]);
    return raw
      .filter((m) => wanted.has(letterId(m)))
      .map((m) => ({
        topic: originalTopic(m.topic),
        key: m.key ?? '',
        value: m.value,
        headers: {
          ...Object.fromEntries(
            Object.entries(m.headers).filter(([name]) => !name.startsWith('dlq-')),
          ),
          'dlq-replayed-from': letterId(m),
        },
      }));
  }
}

function letterId(m: TransportMessage): string {
  return `${m.topic}/${m.partition}/${m.offset}`;
}

function originalTopic(dlq: string): string {
  return dlq.endsWith('.dlq') ? dlq.slice(0, -'.dlq'.length) : dlq;
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function toLetter(m: TransportMessage, replay: ReplayRecord | undefined): DeadLetter {
  const event = parseJson<{ id?: unknown; type?: unknown; subject?: unknown }>(m.value);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: letterId(m),
    dlqTopic: m.topic,
    topic: originalTopic(m.topic),
    reason: m.headers['dlq-reason'] ?? 'unknown',
    error: m.headers['dlq-error'] ?? '',
    consumer: m.headers['dlq-consumer'] ?? null,
    source: m.headers['dlq-source'] ?? null,
    failedAt: m.headers['dlq-failed-at'] ?? null,
    event: { id: str(event?.id), type: str(event?.type), subject: str(event?.subject) },
    replayedAt: replay?.replayedAt ?? null,
    replayedBy: replay?.by ?? null,
  };
}

import { randomUUID } from 'node:crypto';
import { serializeEvent } from '@bfi/events';
import { Crash, eventually, logger, openWorld, succeeded, type World } from './harness';
import { DeadLetters, PermanentEventError as PermanentRefusal, type Transport } from '../src';

/**
 * The messaging contract. Runs unchanged against Kafka (real broker) and the in-process
 * transport: outbox → relay → transport → inbox consumer gives each event's effect exactly once.
 */
export function transportContract(label: string, makeTransport: () => Transport) {
  describe(`messaging contract: ${label}`, () => {
    let world: World;
    beforeEach(async () => {
      world = await openWorld(makeTransport);
    });
    afterEach(async () => {
      await world.close();
    });

    async function expectEachOnce(eventIds: string[]) {
      await eventually(async () => {
        const effects = await world.effects();
        expect(effects.map((e) => e.eventId).sort()).toEqual([...eventIds].sort());
      });
    }

    test('missingTopics names only the topics that do not exist, and creates none of them', async () => {
      const absent = `${world.ns}never.created`;
      expect(await world.transport.missingTopics([world.topic, absent])).toEqual([absent]);
      expect(await world.transport.missingTopics([absent])).toEqual([absent]);
    });

    test('an event written to the outbox reaches its consumer once, and the row is marked sent', async () => {
      const events = [succeeded(), succeeded()];
      await world.produce(events);
      await world.consumer();
      const relay = world.relay();
      relay.start();
      await expectEachOnce(events.map((e) => e.id));
      await eventually(async () => expect(await relay.pending()).toBe(0));
    });

    test('(a) relay dies after sending, before marking sent: re-sent, effect still once', async () => {
      const events = [succeeded(), succeeded(), succeeded()];
      await world.produce(events);
      const wire = await world.tap(world.topic);
      const dying = world.relay({
        afterSend: () => {
          throw new Crash('relay killed between send and mark');
        },
      });
      await expect(dying.flush()).rejects.toThrow(Crash);
      expect(await dying.pending()).toBe(3); // nothing was marked sent

      await world.consumer();
      await world.relay().flush(); // the restarted relay sends the same rows again
      await expectEachOnce(events.map((e) => e.id));
      // Proof the duplicate really happened on the wire: each event id travelled twice.
      await eventually(async () => expect(wire.length).toBe(6));
      expect(await world.relay().pending()).toBe(0);
    });

    test('(b) consumer dies after its effect, before committing: redelivered, effect still once', async () => {
      const events = [succeeded(), succeeded()];
      await world.produce(events);
      let crashes = 0;
      await world.consumer({
        faults: {
          afterEffect: () => {
            if (crashes++ < 2) throw new Crash('consumer killed before offset commit');
          },
        },
      });
      await world.relay().flush();
      await expectEachOnce(events.map((e) => e.id));
      await eventually(async () => expect(crashes).toBeGreaterThanOrEqual(2));
      const inbox = await world.db.inboxEvent.count();
      expect(inbox).toBe(2);
    });

    test('(c) the same event published twice has one effect', async () => {
      const event = succeeded();
      await world.consumer();
      const value = serializeEvent(event);
      await world.transport.send([{ topic: world.topic, key: event.subject, value }]);
      await world.transport.send([{ topic: world.topic, key: event.subject, value }]);
      await expectEachOnce([event.id]);
      // A third copy after the first two were applied still changes nothing.
      await world.transport.send([{ topic: world.topic, key: event.subject, value }]);
      const marker = succeeded();
      await world.transport.send([
        { topic: world.topic, key: marker.subject, value: serializeEvent(marker) },
      ]);
      await expectEachOnce([event.id, marker.id]);
    });

    test('per-key order is kept from outbox to consumer', async () => {
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const sent: Record<string, string[]> = {};
      for (let round = 0; round < 10; round++) {
        for (const key of keys) {
          const e = succeeded(key);
          (sent[key] ??= []).push(e.id);
          await world.produce([e]);
        }
      }
      await world.consumer();
      world.relay().start();
      await expectEachOnce(Object.values(sent).flat());
      const effects = await world.effects();
      for (const key of keys) {
        expect(effects.filter((e) => e.key === key).map((e) => e.eventId)).toEqual(sent[key]);
      }
    });

    test('a malformed event lands in the DLQ with its validation error and the consumer goes on', async () => {
      const dlq = await world.tap(`${world.topic}.dlq`);
      await world.consumer();
      const good = succeeded();
      const bad = JSON.parse(serializeEvent(succeeded())) as { data: { gross: { minor: number } } };
      bad.data.gross.minor = 12.5; // a float amount: never acceptable money
      await world.transport.send([
        { topic: world.topic, key: good.subject, value: '{not json' },
        { topic: world.topic, key: good.subject, value: JSON.stringify(bad) },
        { topic: world.topic, key: good.subject, value: serializeEvent(good) },
      ]);
      await expectEachOnce([good.id]);
      await eventually(async () => expect(dlq).toHaveLength(2));
      expect(dlq.map((m) => m.headers['dlq-reason'])).toEqual(['validation', 'validation']);
      expect(dlq[0]!.value).toBe('{not json');
      expect(dlq[1]!.headers['dlq-error']).toMatch(/minor/);
      expect(dlq[1]!.headers['dlq-source']).toMatch(new RegExp(`^${world.topic}/`));
    });

    test('a handler that keeps failing is retried, then dead-lettered; later events still flow', async () => {
      const dlq = await world.tap(`${world.topic}.dlq`);
      const poison = succeeded();
      let attempts = 0;
      await world.consumer({
        handlers: {
          'payment.succeeded.v1': async (event, tx) => {
            if (event.id === poison.id) {
              attempts++;
              throw new Error('fund "nope" does not exist');
            }
            await tx.effect.create({ data: { eventId: event.id, key: event.subject } });
          },
        },
      });
      const after = succeeded();
      await world.produce([poison, after]);
      await world.relay().flush();
      await expectEachOnce([after.id]);
      await eventually(async () => expect(dlq).toHaveLength(1));
      expect(attempts).toBe(3);
      expect(dlq[0]!.headers['dlq-error']).toBe('fund "nope" does not exist');
      expect(await world.db.inboxEvent.count({ where: { eventId: poison.id } })).toBe(0);
    });

    test('a dead letter is listed with its reason and source, replayed once the cause is fixed, and "replay all" never sends it twice', async () => {
      let fixed = false;
      await world.consumer({
        handlers: {
          'payment.succeeded.v1': async (event, tx) => {
            if (!fixed) throw new PermanentRefusal('unknown fund "nope": create it first');
            await tx.effect.create({ data: { eventId: event.id, key: event.subject } });
          },
        },
      });
      const letters = new DeadLetters({
        transport: world.transport,
        topics: [world.topic],
        replayLogTopic: `${world.ns}dead-letters.replayed`,
        logger,
      });
      const event = succeeded();
      await world.produce([event]);
      await world.relay().flush();
      const [letter] = await eventually(async () => {
        const list = await letters.list();
        expect(list).toHaveLength(1);
        return list;
      });
      expect(letter).toMatchObject({
        dlqTopic: `${world.topic}.dlq`,
        topic: world.topic,
        reason: 'refused',
        error: 'unknown fund "nope": create it first',
        event: { id: event.id, type: 'payment.succeeded.v1', subject: event.subject },
        replayedAt: null,
      });
      expect(letter!.source).toMatch(new RegExp(`^${world.topic}/\\d+/\\d+$`));

      fixed = true;
      const first = await letters.replay({ all: true }, 'finance-1');
      expect(first?.replayed.map((l) => l.id)).toEqual([letter!.id]);
      await expectEachOnce([event.id]);
      // Again, all: nothing left to send. Again, this one: sent, and the inbox absorbs it.
      expect(await letters.replay({ all: true }, 'finance-1')).toEqual({
        replayed: [],
        skipped: 1,
      });
      expect((await letters.replay({ id: letter!.id }, 'finance-1'))?.replayed).toHaveLength(1);
      const marker = succeeded();
      await world.produce([marker]);
      await world.relay().flush();
      await expectEachOnce([event.id, marker.id]);
      expect((await letters.list())[0]).toMatchObject({ replayedBy: 'finance-1' });
      expect(await letters.replay({ id: `${world.topic}.dlq/0/999` }, 'x')).toBeNull();
    });

    test('a replayed event that fails again goes back to the dead-letter topic as a new letter', async () => {
      await world.consumer({
        handlers: {
          'payment.succeeded.v1': async () => {
            throw new PermanentRefusal('still refused');
          },
        },
      });
      const letters = new DeadLetters({
        transport: world.transport,
        topics: [world.topic],
        replayLogTopic: `${world.ns}dead-letters.replayed`,
        logger,
      });
      await world.produce([succeeded()]);
      await world.relay().flush();
      await eventually(async () => expect(await letters.list()).toHaveLength(1));
      await letters.replay({ all: true }, 'finance-1');
      const list = await eventually(async () => {
        const l = await letters.list();
        expect(l).toHaveLength(2);
        return l;
      });
      expect(list.map((l) => l.replayedAt === null)).toEqual(expect.arrayContaining([true, false]));
      expect(list[0]!.event.id).toBe(list[1]!.event.id);
    });

    test('batch mode: many events per transaction, each effect once, redeliveries absorbed', async () => {
      const events = Array.from({ length: 40 }, () => succeeded());
      await world.produce(events);
      let commits = 0;
      await world.consumer({ batchSize: 25, onCommitted: () => commits++ });
      await world.relay().flush();
      await expectEachOnce(events.map((e) => e.id));
      // Fewer commits than events: the batching really happened.
      expect(commits).toBeGreaterThan(0);
      expect(commits).toBeLessThan(events.length);
      await world.transport.send(
        events
          .slice(0, 10)
          .map((e) => ({ topic: world.topic, key: e.subject, value: serializeEvent(e) })),
      );
      const marker = succeeded();
      await world.produce([marker]);
      await world.relay().flush();
      await expectEachOnce([...events.map((e) => e.id), marker.id]);
    });

    test('batch handler: one call per chunk with only the events not applied yet, in order', async () => {
      const key = randomUUID(); // one key: one partition, so arrival order is the produce order
      const events = Array.from({ length: 30 }, () => succeeded(key));
      await world.produce(events);
      const seen: string[] = [];
      let calls = 0;
      await world.consumer({
        batchSize: 50,
        batchHandler: async (batch, tx) => {
          calls += 1;
          seen.push(...batch.map((e) => e.id));
          await tx.effect.createMany({
            data: batch.map((e) => ({ eventId: e.id, key: e.subject })),
          });
        },
        handlers: {
          // A chunk of one message takes the per-event path (its own retries and DLQ).
          'payment.succeeded.v1': async (event, tx) => {
            seen.push(event.id);
            await tx.effect.create({ data: { eventId: event.id, key: event.subject } });
          },
        },
      });
      await world.relay().flush();
      await expectEachOnce(events.map((e) => e.id));
      // Redelivered (the same ids again, with one new event): only the new one reaches it.
      const marker = succeeded(key);
      await world.transport.send(
        [...events.slice(0, 10), marker, events[3]!].map((e) => ({
          topic: world.topic,
          key: e.subject,
          value: serializeEvent(e),
        })),
      );
      await expectEachOnce([...events.map((e) => e.id), marker.id]);
      expect(seen).toEqual([...events.map((e) => e.id), marker.id]);
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThan(seen.length);
    });

    test('batch handler: a failing chunk is replayed one by one through the handlers, a refusal dead-lettered alone', async () => {
      const dlq = await world.tap(`${world.topic}.dlq`);
      const events = Array.from({ length: 12 }, () => succeeded());
      const poison = events[5]!;
      await world.produce(events);
      await world.consumer({
        batchSize: 50,
        batchHandler: async (batch, tx) => {
          await tx.effect.createMany({
            data: batch.map((e) => ({ eventId: e.id, key: e.subject })),
          });
          if (batch.some((e) => e.id === poison.id)) throw new Error('one of these cannot post');
        },
        handlers: {
          'payment.succeeded.v1': async (event, tx) => {
            if (event.id === poison.id) throw new PermanentRefusal('refund exceeds the donation');
            await tx.effect.create({ data: { eventId: event.id, key: event.subject } });
          },
        },
      });
      await world.relay().flush();
      await expectEachOnce(events.filter((e) => e !== poison).map((e) => e.id));
      await eventually(async () => expect(dlq).toHaveLength(1));
      expect(dlq[0]!.headers['dlq-reason']).toBe('refused');
      expect(dlq[0]!.headers['dlq-error']).toBe('refund exceeds the donation');
    });

    test('batch mode: a poison event in a batch is dead-lettered alone, the rest applied once', async () => {
      const dlq = await world.tap(`${world.topic}.dlq`);
      const events = Array.from({ length: 12 }, () => succeeded());
      const poison = events[5]!;
      await world.produce(events);
      await world.consumer({
        batchSize: 50,
        handlers: {
          'payment.succeeded.v1': async (event, tx) => {
            await tx.effect.create({ data: { eventId: event.id, key: event.subject } });
            if (event.id === poison.id) throw new Error('this donation cannot be posted');
          },
        },
      });
      await world.relay().flush();
      await expectEachOnce(events.filter((e) => e !== poison).map((e) => e.id));
      await eventually(async () => expect(dlq).toHaveLength(1));
      expect(dlq[0]!.headers['dlq-error']).toBe('this donation cannot be posted');
    });
  });
}

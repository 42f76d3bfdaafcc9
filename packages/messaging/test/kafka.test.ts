import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { KafkaTransport } from '../src';
import { consumedTotal } from '../src/metrics';
import { transportContract } from './contract';
import { eventually, logger, openWorld, succeeded, type World } from './harness';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const makeTransport = () => new KafkaTransport({ brokers, clientId: 'messaging-test', logger });

transportContract('kafka', makeTransport);

/** Runs the crashing child and resolves with the signal that ended it. */
function runChild(
  mode: 'relay' | 'consumer',
  env: Record<string, string>,
): Promise<NodeJS.Signals | null> {
  // node --import tsx (not the tsx CLI, which would wrap it in a second process): the process we kill is the one we watch.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures/crashing-child.ts'), mode],
    {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

describe('kafka: real process kills', () => {
  let world: World;
  beforeEach(async () => {
    world = await openWorld(makeTransport);
  });
  afterEach(async () => {
    await world.close();
  });

  test('relay SIGKILLed between send and mark: after restart every event has exactly one effect', async () => {
    const events = [succeeded(), succeeded(), succeeded(), succeeded()];
    await world.produce(events);
    const wire = await world.tap(world.topic);
    const signal = await runChild('relay', {
      DATABASE_URL: world.url,
      KAFKA_BROKERS: brokers.join(','),
    });
    expect(signal).toBe('SIGKILL');
    await eventually(async () => expect(wire).toHaveLength(4)); // sent, never marked
    await world.consumer();
    await world.relay().flush();
    await eventually(async () => {
      const ids = (await world.effects()).map((e) => e.eventId).sort();
      expect(ids).toEqual(events.map((e) => e.id).sort());
    });
    expect(wire).toHaveLength(8);
  });

  test('consumer SIGKILLed after its effect, before the offset commit: the restarted one adds nothing', async () => {
    const first = succeeded();
    await world.produce([first]);
    await world.relay().flush();
    const group = `effects-${world.ns}`; // the same group the in-test consumer joins
    const signal = await runChild('consumer', {
      DATABASE_URL: world.url,
      KAFKA_BROKERS: brokers.join(','),
      TOPIC: world.topic,
      GROUP: group,
    });
    expect(signal).toBe('SIGKILL');
    expect((await world.effects()).map((e) => e.eventId)).toEqual([first.id]); // the effect committed
    const second = succeeded();
    await world.produce([second]);
    await world.consumer(); // same group: gets `first` again (offset never committed) and `second`
    await world.relay().flush();
    await eventually(async () => {
      expect((await world.effects()).map((e) => e.eventId).sort()).toEqual(
        [first.id, second.id].sort(),
      );
    });
    expect(await world.db.inboxEvent.count()).toBe(2);
    // And the redelivery really happened: the inbox recognised `first` as a duplicate.
    const duplicates = (await consumedTotal.get()).values.find(
      (v) => v.labels.consumer === group && v.labels.outcome === 'duplicate',
    );
    expect(duplicates?.value).toBe(1);
  });
});

describe('kafka: offsets', () => {
  test('commit() inside a batch commits what the handler resolved so far (a crash redelivers only the rest)', async () => {
    const ns = `t${Date.now().toString(36)}c.`;
    const topic = `${ns}payment.events`;
    const groupId = `${ns}committer`;
    const transport = makeTransport();
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let committed!: () => void;
    const firstCommitted = new Promise<void>((resolve) => (committed = resolve));
    try {
      await transport.ensureTopics([topic]);
      // One key: the three messages land in one partition and arrive as one batch.
      await transport.send(['1', '2', '3'].map((value) => ({ topic, key: 'k', value })));
      const subscription = await transport.subscribe(
        { groupId, topics: [topic], fromBeginning: true },
        async (batch, ctx) => {
          ctx.resolve(batch[0]!.offset);
          await ctx.commit();
          committed();
          await held; // the rest of the batch is still being worked on
          for (const m of batch) ctx.resolve(m.offset);
        },
      );
      await subscription.ready;
      await firstCommitted;
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const partition = offsets!.partitions.find((p) => p.offset !== '-1');
      // Kafka stores the next offset to read: message 0 is done, message 1 comes next.
      expect(partition?.offset).toBe('1');
      release();
      await subscription.stop();
    } finally {
      release();
      await admin.disconnect();
      await transport.close();
    }
  });
});

describe('kafka: topics and admin reads', () => {
  test('ledger.funds is created compacted (the latest state of every fund is kept for good); others are not', async () => {
    const ns = `t${Date.now().toString(36)}.`;
    const transport = makeTransport();
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await transport.ensureTopics([`${ns}ledger.funds`, `${ns}ledger.funds.dlq`]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [`${ns}ledger.funds`, `${ns}ledger.funds.dlq`].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['cleanup.policy'],
        })),
      });
      const policy = Object.fromEntries(
        resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue]),
      );
      expect(policy).toEqual({
        [`${ns}ledger.funds`]: 'compact',
        [`${ns}ledger.funds.dlq`]: 'delete',
      });
    } finally {
      await admin.disconnect();
      await transport.close();
    }
  });

  test('readAll reads topics to their end and leaves no consumer group behind', async () => {
    const ns = `t${Date.now().toString(36)}r.`;
    const transport = makeTransport();
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topic = `${ns}payment.events.dlq`;
      await transport.ensureTopics([topic, `${ns}empty`]);
      const keys = ['a', 'b', 'c', 'd', 'e'];
      await transport.send(keys.map((key) => ({ topic, key, value: `v-${key}` })));
      const read = await transport.readAll([topic, `${ns}empty`, `${ns}missing`]);
      expect(read.map((m) => m.value).sort()).toEqual(keys.map((k) => `v-${k}`));
      const { groups } = await admin.listGroups();
      expect(groups.filter((g) => g.groupId.startsWith('messaging-test-reader-'))).toEqual([]);
    } finally {
      await admin.disconnect();
      await transport.close();
    }
  });
});

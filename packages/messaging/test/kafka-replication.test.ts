import net from 'node:net';
import { KafkaTransport } from '../src';
import { logger } from './harness';
import { runScript } from './repo-scripts';

/** Runs infra/kafka/kafka.mjs and fails on a non-zero exit. */
async function kafkaCli(args: string[]): Promise<void> {
  const { code, output } = await runScript('infra/kafka/kafka.mjs', args);
  if (code !== 0) throw new Error(`kafka.mjs ${args.join(' ')}:\n${output}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port and port+1 (the broker's controller) that nothing listens on. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if ((await isFree(port)) && (await isFree(port + 1))) return port;
  }
  throw new Error('no two consecutive free TCP ports');
}

// Production runs min.insync.replicas=2 with default.replication.factor=3 (k8s/kafka/kafka.yaml):
// a topic created with replication factor 1 there takes no acks=all write. One local broker cannot
// hold two replicas, so a broker asking for 2 by default shows whose number ensureTopics uses:
// the cluster's refuses the topic; a hard-coded 1 would create it, under-replicated.
describe('kafka: topics ensureTopics creates', () => {
  let port: number;
  beforeAll(async () => {
    port = await freePortPair();
    await kafkaCli(['start', '--port', String(port), '--set', 'default.replication.factor=2']);
  }, 120000);
  afterAll(async () => {
    if (port) await kafkaCli(['stop', '--port', String(port)]);
  }, 60000);

  test("get the cluster's default replication factor, not 1", async () => {
    const transport = new KafkaTransport({
      brokers: [`127.0.0.1:${port}`],
      clientId: 'messaging-replication-test',
      logger,
    });
    try {
      await expect(transport.ensureTopics(['replicated.events'])).rejects.toThrow(
        'could not create Kafka topics: replicated.events: Replication-factor is invalid (INVALID_REPLICATION_FACTOR)',
      );
      expect(await transport.missingTopics(['replicated.events'])).toEqual(['replicated.events']);
    } finally {
      await transport.close();
    }
  });
});

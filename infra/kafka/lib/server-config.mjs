// @ts-check
// server.properties of the single-node KRaft broker (combined broker + controller, static voter),
// and formatting its storage before the first start.
import { HOST, KafkaInfraError } from './common.mjs';
import { runKafkaTool } from './jars.mjs';

/** @typedef {import('./common.mjs').RunPaths} RunPaths */

/**
 * @param {number} port the client listener; the controller listens on port+1
 * @param {RunPaths} paths
 * @param {Record<string, string>} config keys added or overridden (last value of a key wins)
 * @returns {string}
 */
export function serverProperties(port, paths, config) {
  const controllerPort = port + 1;
  return [
    '# Written by infra/kafka/kafka.mjs on every start; edits are lost.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${port}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${paths.data}`,
    'num.partitions=3',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    '# The default 3000 ms would delay every first consumer-group join by 3 s.',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
    '# The 128 MiB default is allocated on the (512 MiB) heap.',
    'log.cleaner.dedupe.buffer.size=16777216',
    '# After a crash (kill -9) the controller holds the old broker registration until its session times',
    '# out before the restarted broker may register again: the 9 s default made restarts take ~13 s.',
    'broker.session.timeout.ms=3000',
    'broker.heartbeat.interval.ms=1000',
    // Overrides last: in a properties file the last value of a key wins.
    ...Object.entries(config).map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}

/** Formats the data folder with a fresh cluster id. @param {RunPaths} paths */
export function formatStorage(paths) {
  const clusterId = runKafkaTool('kafka.tools.StorageTool', ['random-uuid'])
    .split('\n')
    .pop()
    ?.trim();
  if (!clusterId) throw new KafkaInfraError('kafka: StorageTool random-uuid printed nothing');
  // Static voters (controller.quorum.voters): no --standalone.
  runKafkaTool('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', paths.config]);
}

// @ts-check
// The Kafka build (Strimzi): one KRaft cluster with ACLs on the tested Kafka version, a KafkaTopic
// per topic of packages/events (and its DLQ), KafkaUsers with exactly the access each service
// needs, and the services' KAFKA_BROKERS pointing at a listener that admits them.
import {
  ACCESS,
  ALL_TOPICS,
  FRONTENDS,
  KAFKA_BUILD as b,
  NAMESPACE,
  PARTITIONS,
  STRIMZI_API,
  TESTED_KAFKA_VERSION,
} from './expected.mjs';
import { check, id } from './report.mjs';
import { baseName, byKind, matches } from './select.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/**
 * The cluster itself: API version, namespace, labels, KRaft roles, ACLs, version.
 * @param {K8sObject[]} objects
 * @returns {K8sObject | null} the Kafka resource, or null when there is not exactly one
 */
function checkCluster(objects) {
  const strimzi = objects.filter((o) => o.apiVersion?.startsWith('kafka.strimzi.io/'));
  for (const o of strimzi) {
    check(o.apiVersion === STRIMZI_API, `${b}: ${id(o)} uses ${o.apiVersion}, not ${STRIMZI_API}`);
    check(o.metadata?.namespace === NAMESPACE, `${b}: ${id(o)} is not in namespace ${NAMESPACE}`);
  }
  const [kafka, ...more] = byKind(objects, 'Kafka');
  if (!check(kafka && more.length === 0, `${b}: expected exactly one Kafka`) || !kafka) return null;
  const cluster = kafka.metadata.name;
  for (const o of strimzi.filter((x) => x.kind !== 'Kafka')) {
    check(
      o.metadata.labels?.['strimzi.io/cluster'] === cluster,
      `${b}: ${id(o)} not labelled for ${cluster}`,
    );
  }
  check(!kafka.spec.zookeeper, `${b}: Kafka has a zookeeper section (KRaft only)`);
  const pools = byKind(objects, 'KafkaNodePool');
  const roles = pools.flatMap((p) => p.spec.roles ?? []);
  check(roles.includes('controller') && roles.includes('broker'), `${b}: node pools lack a role`);
  for (const p of pools) check(p.spec.replicas >= 3, `${b}: ${id(p)} has fewer than 3 replicas`);
  check(kafka.spec.kafka.authorization?.type === 'simple', `${b}: ACLs are not enforced`);
  check(
    kafka.spec.kafka.version === TESTED_KAFKA_VERSION,
    `${b}: Kafka version ${kafka.spec.kafka.version} is not ${TESTED_KAFKA_VERSION}, the one the tests run (infra/kafka/pom.xml)`,
  );
  return kafka;
}

/**
 * Every topic of packages/events and its DLQ, partitioned, replicated and kept long enough.
 * @param {K8sObject[]} objects
 * @returns {Map<string, K8sObject>} the KafkaTopics by topic name
 */
function checkTopics(objects) {
  const topics = new Map(
    byKind(objects, 'KafkaTopic').map((t) => [t.spec.topicName ?? t.metadata.name, t]),
  );
  for (const name of ALL_TOPICS) {
    const t = topics.get(name);
    if (!check(Boolean(t), `${b}: no KafkaTopic for ${name}`) || !t) continue;
    check(t.spec.partitions === PARTITIONS, `${b}: ${name} has ${t.spec.partitions} partitions`);
    check(t.spec.replicas >= 3, `${b}: ${name} has fewer than 3 replicas`);
    const retention = Number(t.spec.config?.['retention.ms']);
    check(retention >= THIRTY_DAYS_MS, `${b}: ${name} keeps less than 30 days`);
    if (name.endsWith('.dlq')) {
      const source = Number(topics.get(name.slice(0, -4))?.spec.config?.['retention.ms']);
      check(retention > source, `${b}: ${name} does not outlive its topic`);
    }
  }
  return topics;
}

/**
 * One user's ACLs: well-formed, on known topics, and exactly the access the service needs.
 * @param {string} user
 * @param {K8sObject} u
 * @param {{ topics: Record<string, string[]>, groups: string[] }} want
 * @param {Map<string, K8sObject>} topics
 */
function checkUser(user, u, want, topics) {
  /** @type {any[]} */
  const acls = u.spec.authorization?.acls ?? [];
  for (const a of acls) {
    check(
      Array.isArray(a.operations) && !('operation' in a),
      `${b}: ${user} ACL without operations[]`,
    );
    if (a.resource.type === 'topic')
      check(topics.has(a.resource.name), `${b}: ${user} ACL on unknown topic ${a.resource.name}`);
  }
  /** @param {string} type @param {string} name @param {string} op */
  const has = (type, name, op) =>
    acls.some(
      (a) => a.resource.type === type && a.resource.name === name && a.operations?.includes(op),
    );
  for (const [topic, ops] of Object.entries(want.topics)) {
    for (const op of ops) check(has('topic', topic, op), `${b}: ${user} cannot ${op} ${topic}`);
  }
  for (const g of want.groups)
    check(has('group', g, 'Read'), `${b}: ${user} cannot use group ${g}`);
  const allowed = new Set([
    ...Object.keys(want.topics).map((t) => `topic:${t}`),
    ...want.groups.map((g) => `group:${g}`),
  ]);
  for (const a of acls) {
    check(
      allowed.has(`${a.resource.type}:${a.resource.name}`),
      `${b}: ${user} has extra access to ${a.resource.name}`,
    );
  }
}

/**
 * The services' KAFKA_BROKERS must name this cluster's bootstrap Service and a listener port,
 * and that listener must admit the service pods.
 * @param {K8sObject} kafka
 * @param {[string, K8sObject[]][]} appObjects
 */
function checkBrokerAddresses(kafka, appObjects) {
  const cluster = kafka.metadata.name;
  /** @type {any[]} */
  const listeners = kafka.spec.kafka.listeners ?? [];
  for (const [build, objs] of appObjects) {
    const common = baseName('bfi-common', objs, 'ConfigMap');
    for (const broker of String(common?.data?.KAFKA_BROKERS ?? '').split(',')) {
      const [host = '', port] = broker.trim().split(':');
      check(
        host === `${cluster}-kafka-bootstrap` || host.startsWith(`${cluster}-kafka-bootstrap.`),
        `${build}: KAFKA_BROKERS host ${host} is not ${cluster}'s bootstrap`,
      );
      const listener = listeners.find((l) => String(l.port) === port);
      if (!check(Boolean(listener), `${build}: KAFKA_BROKERS port ${port} is no listener`))
        continue;
      for (const d of byKind(objs, 'Deployment')) {
        if (FRONTENDS[d.metadata.name]) continue; // no broker client
        const labels = d.spec.template.metadata.labels;
        check(
          !listener.networkPolicyPeers ||
            listener.networkPolicyPeers.some((/** @type {any} */ p) =>
              matches(p.podSelector?.matchLabels, labels),
            ),
          `${build}: ${id(d)} is not a networkPolicyPeer of listener ${listener.name}`,
        );
      }
    }
  }
}

/**
 * @param {K8sObject[]} objects the rendered Kafka build
 * @param {[string, K8sObject[]][]} appObjects the rendered application builds
 */
export function checkKafkaBuild(objects, appObjects) {
  const kafka = checkCluster(objects);
  if (!kafka) return;
  const topics = checkTopics(objects);
  const users = new Map(byKind(objects, 'KafkaUser').map((u) => [u.metadata.name, u]));
  for (const [user, want] of Object.entries(ACCESS)) {
    const u = users.get(user);
    if (!check(Boolean(u), `${b}: no KafkaUser ${user}`) || !u) continue;
    checkUser(user, u, want, topics);
  }
  checkBrokerAddresses(kafka, appObjects);
}

// @ts-check
// What the NetworkPolicies of a build let through, evaluated as a CNI would: a pod that no policy
// of a direction selects is open in that direction; a selected pod is open only where some rule
// of a selecting policy admits the peer and the port. ipBlock peers never match a pod (pod
// addresses are not known offline), so a rule meant for pods must select them by labels.
import { NAMESPACE } from './expected.mjs';
import { byKind, containerPort } from './select.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */
/** @typedef {Record<string, string>} Labels */
/**
 * One end of a connection: its pod labels and its namespace's labels.
 * @typedef {{ pod: Labels, namespace: Labels }} Peer
 */
/**
 * A destination port: its number, its name on the destination container (named rule ports
 * resolve there), and its protocol.
 * @typedef {{ number: number, name?: string, protocol?: string }} Port
 */

/**
 * A label selector (matchLabels and matchExpressions); an empty or missing one selects everything.
 * @param {any} selector
 * @param {Labels | undefined} labels
 */
export function selects(selector, labels) {
  const l = labels ?? {};
  const byLabel = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  /** @type {any[]} */
  const expressions = selector?.matchExpressions ?? [];
  return (
    byLabel &&
    expressions.every((e) => {
      const has = Object.hasOwn(l, e.key);
      if (e.operator === 'In') return has && e.values.includes(l[e.key]);
      if (e.operator === 'NotIn') return !has || !e.values.includes(l[e.key]);
      if (e.operator === 'Exists') return has;
      if (e.operator === 'DoesNotExist') return !has;
      return false;
    })
  );
}

/** The labels of this build's namespace (its Namespace object, plus the one Kubernetes adds). @param {K8sObject[]} objects @returns {Labels} */
export function ownNamespace(objects) {
  const ns = byKind(objects, 'Namespace').find((n) => n.metadata.name === NAMESPACE);
  return { ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': NAMESPACE };
}

/**
 * Whether a rule peer (`to` / `from` entry) is `peer`, for a policy in `own` namespace.
 * @param {any} rulePeer
 * @param {Peer} peer
 * @param {Labels} own
 */
function peerMatches(rulePeer, peer, own) {
  if (rulePeer.ipBlock) return false;
  if (rulePeer.namespaceSelector) {
    if (!selects(rulePeer.namespaceSelector, peer.namespace)) return false;
  } else if (peer.namespace['kubernetes.io/metadata.name'] !== own['kubernetes.io/metadata.name']) {
    return false; // a podSelector alone means pods of the policy's own namespace
  }
  return !rulePeer.podSelector || selects(rulePeer.podSelector, peer.pod);
}

/** @param {any[] | undefined} rulePorts @param {Port} port */
function portMatches(rulePorts, port) {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name;
    return p.endPort ? port.number >= p.port && port.number <= p.endPort : p.port === port.number;
  });
}

/**
 * Whether the policies let `subject` (pods of this build's namespace) talk to `peer` in one
 * direction: Egress (subject → peer on the peer's port) or Ingress (peer → subject's port).
 * @param {K8sObject[]} objects
 * @param {'Egress' | 'Ingress'} direction
 * @param {Labels} subject pod labels
 * @param {Peer} peer
 * @param {Port} port
 */
export function admits(objects, direction, subject, peer, port) {
  const own = ownNamespace(objects);
  const policies = byKind(objects, 'NetworkPolicy').filter(
    (np) =>
      selects(np.spec.podSelector, subject) &&
      (np.spec.policyTypes ?? ['Ingress']).includes(direction),
  );
  if (policies.length === 0) return true;
  const field = direction === 'Egress' ? 'to' : 'from';
  return policies.some((np) =>
    (direction === 'Egress' ? (np.spec.egress ?? []) : (np.spec.ingress ?? [])).some(
      (/** @type {any} */ rule) =>
        (!rule[field] || rule[field].some((/** @type {any} */ p) => peerMatches(p, peer, own))) &&
        portMatches(rule.ports, port),
    ),
  );
}

/**
 * The connection from one pod template of the build to another on `port` of the target's
 * container: what each side's policies say ('' when allowed, else which side refuses).
 * @param {K8sObject[]} objects
 * @param {K8sObject} from a workload
 * @param {K8sObject} to a Deployment
 * @param {string | number} port a port name or number of `to`'s container
 * @returns {{ egress: boolean, ingress: boolean, port: Port | undefined }}
 */
export function connection(objects, from, to, port) {
  const cp = containerPort(to.spec.template.spec.containers[0], port);
  if (!cp) return { egress: false, ingress: false, port: undefined };
  /** @type {Port} */
  const p = { number: cp.containerPort, name: cp.name, protocol: cp.protocol };
  const namespace = ownNamespace(objects);
  const fromPod = from.spec.template.metadata.labels;
  const toPod = to.spec.template.metadata.labels;
  return {
    egress: admits(objects, 'Egress', fromPod, { pod: toPod, namespace }, p),
    ingress: admits(objects, 'Ingress', toPod, { pod: fromPod, namespace }, p),
    port: p,
  };
}

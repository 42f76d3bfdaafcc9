// @ts-check
// Rules for traffic: Services that select one Deployment on its ports, NetworkPolicies that fence
// both directions, and the one public Ingress with TLS that routes exactly the public paths.
import { PROVIDER_EGRESS, PUBLIC_PATHS, SERVICES } from './expected.mjs';
import { check, id } from './report.mjs';
import { byKind, containerPort, matches, workloads } from './select.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {K8sObject} s
 */
export function checkService(build, objects, s) {
  const w = `${build}: ${id(s)}`;
  const targets = byKind(objects, 'Deployment').filter((d) =>
    matches(s.spec.selector, d.spec.template.metadata.labels),
  );
  if (!check(targets.length === 1, `${w}: selects ${targets.length} Deployments, not 1`)) return;
  const [c] = /** @type {K8sObject} */ (targets[0]).spec.template.spec.containers;
  for (const p of s.spec.ports) {
    const cp = containerPort(c, p.targetPort ?? p.port);
    check(Boolean(cp), `${w}: targetPort ${p.targetPort} is not a container port`);
    check(
      cp && cp.containerPort === p.port,
      `${w}: port ${p.port} ≠ containerPort ${cp?.containerPort}`,
    );
  }
}

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {K8sObject} o what carries the selector
 * @param {Record<string, string> | undefined} selector
 */
export function selectsSomething(build, objects, o, selector) {
  const pods = workloads(objects).map((x) => x.spec.template.metadata.labels);
  check(
    pods.some((labels) => matches(selector, labels)),
    `${build}: ${id(o)} selects no pod template`,
  );
}

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {K8sObject} np
 */
export function checkNetworkPolicy(build, objects, np) {
  const w = `${build}: ${id(np)}`;
  selectsSomething(build, objects, np, np.spec.podSelector.matchLabels);
  check(
    ['Ingress', 'Egress'].every((t) => np.spec.policyTypes?.includes(t)),
    `${w}: does not restrict both directions`,
  );
  /** @type {unknown[]} */
  const egressPorts = (np.spec.egress ?? []).flatMap((/** @type {any} */ e) =>
    (e.ports ?? []).map((/** @type {any} */ p) => p.port),
  );
  check(egressPorts.includes(53), `${w}: no DNS egress`);
  // docs/DEPLOY.md patches /spec/egress/0 to point every policy at a managed database.
  const first = np.spec.egress?.[0]?.ports ?? [];
  check(first.length === 1 && first[0].port === 5432, `${w}: egress[0] is not the PostgreSQL rule`);
  const name = np.metadata.name;
  if (name === 'migrations') return;
  check(
    egressPorts.includes(443) === PROVIDER_EGRESS.has(name),
    `${w}: HTTPS egress should be ${PROVIDER_EGRESS.has(name) ? 'allowed' : 'denied'}`,
  );
  if (!SERVICES[name]) return;
  check(egressPorts.includes(9092), `${w}: no Kafka egress`);
  check(
    (np.spec.ingress ?? []).length > 0,
    `${w}: no ingress rule (ingress controller, Prometheus)`,
  );
}

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {K8sObject} ing
 */
export function checkIngress(build, objects, ing) {
  const w = `${build}: ${id(ing)}`;
  const tlsHosts = new Set((ing.spec.tls ?? []).flatMap((/** @type {any} */ t) => t.hosts ?? []));
  /** @type {Record<string, string>} */
  const seen = {};
  for (const rule of ing.spec.rules ?? []) {
    check(tlsHosts.has(rule.host), `${w}: host ${rule.host} has no TLS`);
    for (const p of rule.http?.paths ?? []) {
      const backend = p.backend.service;
      seen[p.path] = backend.name;
      const svc = byKind(objects, 'Service').find((s) => s.metadata.name === backend.name);
      if (!check(Boolean(svc), `${w}: backend Service ${backend.name} does not exist`)) continue;
      check(
        svc?.spec.ports.some(
          (/** @type {any} */ sp) =>
            sp.name === backend.port.name || sp.port === backend.port.number,
        ),
        `${w}: Service ${backend.name} has no port ${backend.port.name ?? backend.port.number}`,
      );
    }
  }
  for (const [p, svc] of Object.entries(PUBLIC_PATHS)) {
    check(seen[p] === svc, `${w}: public path ${p} does not go to ${svc}`);
  }
  for (const p of Object.keys(seen)) check(p in PUBLIC_PATHS, `${w}: ${p} is not a public path`);
}

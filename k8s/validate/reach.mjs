// @ts-check
// Whether the connections the configuration asks for get through the NetworkPolicies: every
// in-cluster URL a Deployment is configured with (the web's API URLs, the APIs'
// PERSON_TOKEN_JWKS_URL, …) must be admitted by the caller's egress and the callee's ingress;
// every Deployment may export traces to the collector's namespace; and every namespace label the
// policies select on is one docs/DEPLOY.md tells the operator to set.
import { NAMESPACE, OTEL_COLLECTOR, OTLP_PORTS } from './expected.mjs';
import { connection, admits, ownNamespace } from './policy.mjs';
import { check, id } from './report.mjs';
import { byKind, envFromConfigMaps, matches } from './select.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

/**
 * The Service a URL names when it is one of this namespace's (`svc`, `svc.bfi`, `svc.bfi.svc`,
 * `svc.bfi.svc.cluster.local`), with the port the URL uses.
 * @param {string} value
 * @param {K8sObject[]} objects
 * @returns {{ service: K8sObject, port: number } | null}
 */
function clusterService(value, objects) {
  /** @type {URL} */
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const [name, ns, ...rest] = url.hostname.split('.');
  if (
    ns !== undefined &&
    (ns !== NAMESPACE || !['', 'svc', 'svc.cluster.local'].includes(rest.join('.')))
  )
    return null;
  const service = byKind(objects, 'Service').find((s) => s.metadata.name === name);
  if (!service) return null;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { service, port };
}

/**
 * One configured URL: the Service has that port, and both policies admit the call.
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {K8sObject} caller
 * @param {string} variable
 * @param {{ service: K8sObject, port: number }} target
 */
function checkCall(build, objects, caller, variable, target) {
  const { service, port } = target;
  const w = `${build}: ${id(caller)} (${variable})`;
  const sp = (service.spec.ports ?? []).find((/** @type {any} */ p) => p.port === port);
  if (!check(Boolean(sp), `${w}: Service ${service.metadata.name} has no port ${port}`)) return;
  const callee = byKind(objects, 'Deployment').find((d) =>
    matches(service.spec.selector, d.spec.template.metadata.labels),
  );
  if (!callee) return; // checkService reports a Service that selects no Deployment
  const c = connection(objects, caller, callee, sp.targetPort ?? sp.port);
  const to = `${service.metadata.name}:${port}`;
  check(c.egress, `${w}: its NetworkPolicy allows no egress to ${id(callee)} pods for ${to}`);
  check(
    c.ingress,
    `${w}: the NetworkPolicy of ${id(callee)} admits no ingress from its pods for ${to}`,
  );
}

/** @param {string} build @param {K8sObject[]} objects */
function checkConfiguredCalls(build, objects) {
  for (const d of byKind(objects, 'Deployment')) {
    const env = envFromConfigMaps(objects, d.spec.template.spec.containers[0]);
    for (const [variable, value] of Object.entries(env)) {
      const target = clusterService(value, objects);
      if (target) checkCall(build, objects, d, variable, target);
    }
  }
}

/** Tracing: every Deployment's pods may reach the collector's namespace on the OTLP ports. @param {string} build @param {K8sObject[]} objects */
function checkCollectorEgress(build, objects) {
  const [key, value] = OTEL_COLLECTOR;
  const peer = { pod: {}, namespace: { [key]: value } };
  for (const d of byKind(objects, 'Deployment')) {
    const labels = d.spec.template.metadata.labels;
    for (const port of OTLP_PORTS) {
      check(
        admits(objects, 'Egress', labels, peer, { number: port }),
        `${build}: ${id(d)} has no egress to the tracing collector (namespaces labelled ${key}=${value}) on ${port}`,
      );
    }
  }
}

/**
 * The namespace labels the policies select on (other than the namespace name Kubernetes sets)
 * must each appear in a `kubectl label namespace … key=value` line of docs/DEPLOY.md.
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {string} doc
 */
function checkNamespaceLabelsDocumented(build, objects, doc) {
  const documented = new Set(
    doc
      .split('\n')
      .filter((line) => line.startsWith('kubectl label namespace '))
      .flatMap((line) => line.split('#')[0]?.match(/\S+=\S+/g) ?? []),
  );
  const own = ownNamespace(objects);
  for (const np of byKind(objects, 'NetworkPolicy')) {
    const rules = [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])];
    const peers = rules.flatMap((r) => [...(r.from ?? []), ...(r.to ?? [])]);
    for (const p of peers) {
      for (const [k, v] of Object.entries(p.namespaceSelector?.matchLabels ?? {})) {
        if (k === 'kubernetes.io/metadata.name' || own[k] === v) continue;
        check(
          documented.has(`${k}=${v}`),
          `${build}: ${id(np)} selects namespaces labelled ${k}=${v}, which docs/DEPLOY.md does not tell the operator to set (kubectl label namespace)`,
        );
      }
    }
  }
}

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {string} doc docs/DEPLOY.md
 */
export function checkReach(build, objects, doc) {
  checkConfiguredCalls(build, objects);
  checkCollectorEgress(build, objects);
  checkNamespaceLabelsDocumented(build, objects, doc);
}

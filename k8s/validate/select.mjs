// @ts-check
// Looking things up in a build: selectors, kinds, generated names, ports, environment.
import { check } from './report.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

/**
 * @param {Record<string, string> | undefined} selector
 * @param {Record<string, string> | undefined} labels
 */
export const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/**
 * @param {K8sObject[]} objects
 * @param {string} kind
 */
export const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);

/**
 * The object of that kind named `name`; generated ConfigMaps carry a hash suffix after rendering.
 * @param {string} name
 * @param {K8sObject[]} objects
 * @param {string} kind
 */
export const baseName = (name, objects, kind) =>
  byKind(objects, kind).find(
    (o) => o.metadata.name === name || o.metadata.name.startsWith(`${name}-`),
  );

/**
 * @param {any} container
 * @param {string | number} port a port name or number
 */
export function containerPort(container, port) {
  return (container.ports ?? []).find(
    /** @param {any} p */ (p) => p.name === port || p.containerPort === port,
  );
}

/**
 * The environment a container gets from its ConfigMaps and literal values.
 * @param {K8sObject[]} objects
 * @param {any} container
 * @returns {Record<string, string>}
 */
export function envFromConfigMaps(objects, container) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const ref of container.envFrom ?? []) {
    if (!ref.configMapRef) continue;
    const cm = baseName(ref.configMapRef.name, objects, 'ConfigMap');
    if (check(Boolean(cm), `ConfigMap ${ref.configMapRef.name} is referenced but not built`)) {
      Object.assign(env, cm?.data);
    }
  }
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

/**
 * Pod templates of the Deployments and Jobs in a build.
 * @param {K8sObject[]} objects
 * @returns {K8sObject[]}
 */
export const workloads = (objects) => [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')];

// @ts-check
// Core kinds against the Kubernetes OpenAPI schemas (kubernetes-models); Strimzi kinds have none.
import { check, id, note } from './report.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @returns {Promise<number>} how many objects were validated
 */
async function validateSchema(build, objects) {
  let validated = 0;
  for (const o of objects) {
    if (!o.apiVersion || o.apiVersion.startsWith('kafka.strimzi.io')) continue;
    /** @type {new (data: unknown) => { validate(): void }} */
    let Model;
    try {
      Model = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`))[String(o.kind)];
    } catch {
      note(`${build}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
      validated += 1;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      check(false, `${build}: ${id(o)} does not match the ${o.apiVersion} schema: ${why}`);
    }
  }
  return validated;
}

/** @param {Map<string, K8sObject[]>} builds */
export async function schemaCheck(builds) {
  try {
    await import('kubernetes-models/apps/v1/Deployment');
  } catch {
    note('kubernetes-models not installed: schema validation skipped');
    return;
  }
  let total = 0;
  for (const [build, objects] of builds) total += await validateSchema(build, objects);
  note(`${total} core objects validated against the Kubernetes OpenAPI schemas`);
}

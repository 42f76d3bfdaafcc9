// @ts-check
// One application build (base or an overlay): every service has its objects, each object passes
// its kind's rules, and every Secret the pods read is documented in docs/DEPLOY.md.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CLUSTER_SCOPED,
  FRONTENDS,
  IN_MEMORY_SESSIONS,
  NAMESPACE,
  ROOT,
  SERVICES,
} from './expected.mjs';
import { checkIngress, checkNetworkPolicy, checkService, selectsSomething } from './network.mjs';
import { checkReach } from './reach.mjs';
import { check, id } from './report.mjs';
import { byKind, workloads } from './select.mjs';
import { checkSignin, documentedSecrets } from './signin.mjs';
import { checkDeployment, checkJob } from './workloads.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

const PER_SERVICE_KINDS = [
  'Deployment',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
];

/** @param {K8sObject[]} objects @returns {[string, string][]} Secret name and key pairs */
function secretRefs(objects) {
  /** @type {Map<string, [string, string]>} */
  const refs = new Map();
  for (const o of workloads(objects)) {
    for (const c of o.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) refs.set(`${ref.name}/${ref.key}`, [ref.name, ref.key]);
      }
    }
  }
  return [...refs.values()];
}

/** @param {string} build @param {K8sObject[]} objects */
function checkCompleteness(build, objects) {
  for (const o of objects) {
    if (CLUSTER_SCOPED.has(String(o.kind))) continue;
    check(
      o.metadata?.namespace === NAMESPACE,
      `${build}: ${id(o)} is not in namespace ${NAMESPACE}`,
    );
  }
  for (const svc of [...Object.keys(SERVICES), ...Object.keys(FRONTENDS)]) {
    for (const kind of PER_SERVICE_KINDS) {
      // One replica and no autoscaler where sessions are in memory (signin.mjs checks that).
      if (kind === 'HorizontalPodAutoscaler' && IN_MEMORY_SESSIONS.has(svc)) continue;
      check(
        byKind(objects, kind).some((o) => o.metadata.name === svc),
        `${build}: ${kind}/${svc} missing`,
      );
    }
    if (!SERVICES[svc]) continue;
    check(
      byKind(objects, 'Job').some((j) => j.metadata.name === `${svc}-migrate`),
      `${build}: Job/${svc}-migrate missing`,
    );
  }
}

/** Autoscalers that target something and scale on CPU; budgets that select pods. @param {string} build @param {K8sObject[]} objects */
function checkScaling(build, objects) {
  for (const h of byKind(objects, 'HorizontalPodAutoscaler')) {
    const w = `${build}: ${id(h)}`;
    const t = h.spec.scaleTargetRef;
    check(
      byKind(objects, t.kind).some((o) => o.metadata.name === t.name),
      `${w}: target ${t.kind}/${t.name} missing`,
    );
    check(h.spec.minReplicas >= 1 && h.spec.minReplicas <= h.spec.maxReplicas, `${w}: bad bounds`);
    check(
      (h.spec.metrics ?? []).some((/** @type {any} */ m) => m.resource?.name === 'cpu'),
      `${w}: does not scale on CPU`,
    );
  }
  for (const p of byKind(objects, 'PodDisruptionBudget')) {
    selectsSomething(build, objects, p, p.spec.selector.matchLabels);
    check(
      p.spec.minAvailable !== undefined || p.spec.maxUnavailable !== undefined,
      `${build}: ${id(p)} has no budget`,
    );
  }
}

/**
 * Every Secret key the pods read is in the `kubectl create secret` step of docs/DEPLOY.md and in
 * a row of its configuration tables that names the Secret.
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {string} doc
 */
function checkSecretsDocumented(build, objects, doc) {
  const created = documentedSecrets(doc);
  const rows = doc.split('\n').filter((l) => l.startsWith('|'));
  for (const [name, key] of secretRefs(objects)) {
    check(
      created.get(name)?.includes(key),
      `${build}: Secret ${name} key ${key} is not in a \`kubectl create secret generic ${name}\` step of docs/DEPLOY.md`,
    );
    const service = name.replace(/-secrets$/, '');
    check(
      rows.some(
        (r) =>
          r.includes(`\`${key}\``) &&
          (r.includes(`Secret \`${name}\``) ||
            (r.includes('Secret `<service>-secrets`') && r.includes(' all '))),
      ),
      `${build}: no row of docs/DEPLOY.md's tables says ${key} comes from Secret ${name} (${service})`,
    );
  }
}

const deployDoc = path.join(ROOT, 'docs', 'DEPLOY.md');
const DOC = existsSync(deployDoc) ? readFileSync(deployDoc, 'utf8') : '';

/** @param {string} build @param {K8sObject[]} objects */
export function checkAppBuild(build, objects) {
  checkCompleteness(build, objects);
  for (const d of byKind(objects, 'Deployment')) checkDeployment(build, objects, d);
  for (const j of byKind(objects, 'Job')) checkJob(build, j);
  for (const s of byKind(objects, 'Service')) checkService(build, objects, s);
  for (const np of byKind(objects, 'NetworkPolicy')) checkNetworkPolicy(build, objects, np);
  checkScaling(build, objects);
  const ingresses = byKind(objects, 'Ingress');
  if (build.startsWith('overlays/')) {
    check(
      ingresses.length === 1,
      `${build}: expected one public Ingress, found ${ingresses.length}`,
    );
  }
  for (const ing of ingresses) checkIngress(build, objects, ing);
  checkSecretsDocumented(build, objects, DOC);
  checkReach(build, objects, DOC);
  checkSignin(build, objects, DOC);
}

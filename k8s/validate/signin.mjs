// @ts-check
// People's sign-in as deployed, and what the docs promise about it: each Deployment reads every
// key of the Secret docs/DEPLOY.md tells the operator to create for it (and no such key from a
// ConfigMap); a Deployment whose sessions live in memory runs one replica, without an autoscaler;
// no PodDisruptionBudget blocks every node drain; a PEOPLE_FILE lies on a persistent volume.
import path from 'node:path';
import { IN_MEMORY_SESSIONS } from './expected.mjs';
import { check, id } from './report.mjs';
import { byKind, envFromConfigMaps, matches } from './select.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

/**
 * The Secrets docs/DEPLOY.md has the operator create (`kubectl -n bfi create secret generic
 * <name>` with its `--from-literal=KEY=…` / `--from-file=KEY=…` lines), name → keys.
 * @param {string} doc
 * @returns {Map<string, string[]>}
 */
export function documentedSecrets(doc) {
  /** @type {Map<string, string[]>} */
  const secrets = new Map();
  for (const m of doc.matchAll(/create secret generic (\S+)((?: *\\\n\s*--from-\S+)*)/g)) {
    const keys = [...(m[2] ?? '').matchAll(/--from-(?:literal|file)=([A-Z0-9_]+)=/g)];
    secrets.set(String(m[1]), [
      ...(secrets.get(String(m[1])) ?? []),
      ...keys.map((k) => String(k[1])),
    ]);
  }
  return secrets;
}

/**
 * Each Deployment `<name>` reads every key of the documented Secret `<name>-secrets` into the
 * variable of that name, and no ConfigMap it reads carries one of those keys.
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {Map<string, string[]>} secrets
 */
function checkDocumentedSecretsRead(build, objects, secrets) {
  for (const d of byKind(objects, 'Deployment')) {
    const name = `${d.metadata.name}-secrets`;
    const [c] = d.spec.template.spec.containers;
    const fromConfig = envFromConfigMaps(objects, c);
    for (const key of secrets.get(name) ?? []) {
      check(
        (c.env ?? []).some(
          (/** @type {any} */ e) =>
            e.name === key &&
            e.valueFrom?.secretKeyRef?.name === name &&
            e.valueFrom.secretKeyRef.key === key,
        ),
        `${build}: ${id(d)} does not read ${key} from Secret ${name}, as docs/DEPLOY.md says it does`,
      );
      check(
        !(key in fromConfig),
        `${build}: ${id(d)} gets ${key} from a ConfigMap; it is a key of Secret ${name}`,
      );
    }
  }
}

/**
 * The fewest pods a Deployment runs: its autoscaler's minimum, or its replicas (default 1).
 * @param {K8sObject[]} objects
 * @param {K8sObject} d
 */
function fewestPods(objects, d) {
  const hpa = byKind(objects, 'HorizontalPodAutoscaler').find(
    (h) =>
      h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name,
  );
  return Number(hpa ? hpa.spec.minReplicas : (d.spec.replicas ?? 1));
}

/**
 * A budget that lets no pod go while the fewest pods run blocks every node drain.
 * @param {string} build
 * @param {K8sObject[]} objects
 */
function checkDrainable(build, objects) {
  for (const p of byKind(objects, 'PodDisruptionBudget')) {
    const targets = byKind(objects, 'Deployment').filter((d) =>
      matches(p.spec.selector?.matchLabels, d.spec.template.metadata.labels),
    );
    for (const d of targets) {
      const pods = fewestPods(objects, d);
      /** @param {unknown} v @returns {number} */
      const count = (v) =>
        typeof v === 'string' && v.endsWith('%')
          ? Math.ceil((pods * parseFloat(v)) / 100)
          : Number(v);
      const { minAvailable, maxUnavailable } = p.spec;
      const allowed =
        maxUnavailable !== undefined ? count(maxUnavailable) : pods - count(minAvailable ?? 0);
      check(
        allowed >= 1,
        `${build}: ${id(p)} lets no pod of ${id(d)} go at ${pods} replica(s): it blocks every node drain`,
      );
    }
  }
}

/**
 * In-memory sessions: one replica, no autoscaler (another pod would not know the session).
 * @param {string} build
 * @param {K8sObject[]} objects
 */
function checkSingleReplica(build, objects) {
  for (const d of byKind(objects, 'Deployment')) {
    const name = d.metadata.name;
    const hpa = byKind(objects, 'HorizontalPodAutoscaler').find(
      (h) => h.spec.scaleTargetRef.name === name,
    );
    if (!IN_MEMORY_SESSIONS.has(name)) {
      check(d.spec.replicas === undefined, `${build}: ${id(d)}: sets replicas (the HPA owns them)`);
      continue;
    }
    const why = 'its sessions are in memory (docs/DEPLOY.md, "People\'s sign-in")';
    check(!hpa, `${build}: ${id(hpa ?? d)} autoscales ${name}, but ${why}`);
    check(d.spec.replicas === 1, `${build}: ${id(d)} does not set replicas: 1, but ${why}`);
  }
}

/**
 * PEOPLE_FILE, when set, must be on a writable PersistentVolumeClaim mount: elsewhere the roles
 * admins give at /admin/people are lost with the pod.
 * @param {string} build
 * @param {K8sObject[]} objects
 */
function checkPeopleFile(build, objects) {
  for (const d of byKind(objects, 'Deployment')) {
    const spec = d.spec.template.spec;
    const [c] = spec.containers;
    const file = envFromConfigMaps(objects, c).PEOPLE_FILE;
    if (!file) continue;
    const dir = path.posix.dirname(file);
    const mount = (c.volumeMounts ?? []).find(
      (/** @type {any} */ m) =>
        !m.readOnly &&
        (dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)),
    );
    const volume = (spec.volumes ?? []).find((/** @type {any} */ v) => v.name === mount?.name);
    check(
      Boolean(volume?.persistentVolumeClaim),
      `${build}: ${id(d)}: PEOPLE_FILE ${file} is not on a writable PersistentVolumeClaim mount (the roles table would be lost with the pod)`,
    );
  }
}

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {string} doc docs/DEPLOY.md
 */
export function checkSignin(build, objects, doc) {
  checkDocumentedSecretsRead(build, objects, documentedSecrets(doc));
  checkSingleReplica(build, objects);
  checkDrainable(build, objects);
  checkPeopleFile(build, objects);
}

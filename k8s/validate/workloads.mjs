// @ts-check
// Rules for the pods: hardened security contexts, resources, probes, the environment each service
// needs, and migrations run by a Job rather than by the service at start.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FRONTENDS, ROOT, SERVICES } from './expected.mjs';
import { check, id } from './report.mjs';
import { containerPort, envFromConfigMaps, matches } from './select.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

const PAYMENT_ENV = [
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'PAYPAL_CLIENT_ID',
  'PAYPAL_CLIENT_SECRET',
  'PAYPAL_WEBHOOK_ID',
  'QR_SECRET',
  'PUBLIC_BASE_URL',
];

/**
 * @param {string} build
 * @param {string} w where, for messages
 * @param {any} c a container
 * @param {any} podSpec
 */
function checkContainerSecurity(build, w, c, podSpec) {
  const ctx = { ...(podSpec.securityContext ?? {}), ...(c.securityContext ?? {}) };
  check(ctx.runAsNonRoot === true, `${w}: runAsNonRoot is not true`);
  check(ctx.runAsUser === undefined || ctx.runAsUser > 0, `${w}: runAsUser is 0`);
  check(c.securityContext?.readOnlyRootFilesystem === true, `${w}: root filesystem is writable`);
  check(
    c.securityContext?.allowPrivilegeEscalation === false,
    `${w}: privilege escalation allowed`,
  );
  check(c.securityContext?.capabilities?.drop?.includes('ALL'), `${w}: capabilities not dropped`);
  const tmp = (c.volumeMounts ?? []).find((/** @type {any} */ m) => m.mountPath === '/tmp');
  const vol = tmp && (podSpec.volumes ?? []).find((/** @type {any} */ v) => v.name === tmp.name);
  check(Boolean(vol?.emptyDir), `${w}: /tmp is not a writable emptyDir`);
  const r = c.resources ?? {};
  check(r.requests?.cpu && r.requests?.memory, `${w}: cpu/memory requests missing`);
  check(r.limits?.memory, `${w}: memory limit missing`);
  const tag = String(c.image).split('/').pop()?.split(':')[1];
  if (build.startsWith('overlays/')) {
    check(tag && tag !== 'latest', `${w}: image ${c.image} has no pinned tag`);
  }
}

/**
 * @param {string} build
 * @param {K8sObject} o the workload
 * @param {any} podSpec
 */
function checkPodSecurity(build, o, podSpec) {
  const where = `${build}: ${id(o)}`;
  for (const c of podSpec.containers ?? []) {
    checkContainerSecurity(build, `${where} container ${c.name}`, c, podSpec);
  }
  check(podSpec.automountServiceAccountToken === false, `${where}: service account token mounted`);
}

/**
 * Liveness, readiness and (if any) startup probes on the health endpoints and a known port.
 * @param {string} w
 * @param {any} c the container
 */
function checkProbes(w, c) {
  /** @param {any} p @param {string} pathWanted @param {string} kind */
  const probe = (p, pathWanted, kind) => {
    if (!check(p?.httpGet?.path === pathWanted, `${w}: ${kind} probe is not GET ${pathWanted}`))
      return;
    check(
      Boolean(containerPort(c, p.httpGet.port)),
      `${w}: ${kind} probe port ${p.httpGet.port} unknown`,
    );
  };
  probe(c.livenessProbe, '/healthz', 'liveness');
  probe(c.readinessProbe, '/readyz', 'readiness');
  if (c.startupProbe) probe(c.startupProbe, '/healthz', 'startup');
}

/**
 * The port and the environment the service reads.
 * @param {string} w
 * @param {K8sObject[]} objects
 * @param {string} name the service
 * @param {any} c the container
 */
function checkServiceEnv(w, objects, name, c) {
  const env = envFromConfigMaps(objects, c);
  const http = containerPort(c, 'http');
  check(Boolean(http), `${w}: no container port named http`);
  check(http && String(http.containerPort) === env.PORT, `${w}: PORT=${env.PORT} ≠ containerPort`);
  const port = SERVICES[name] ?? FRONTENDS[name];
  if (port) {
    check(
      http?.containerPort === port,
      `${w}: containerPort ${http?.containerPort} is not ${port}, the port services/${name}/src/config.ts defaults to`,
    );
  }
  if (FRONTENDS[name]) {
    check(Boolean(env.PAYMENT_URL && env.LEDGER_URL && env.REWARD_URL), `${w}: API URLs not set`);
    return;
  }
  check(env.MIGRATE_ON_START === 'false', `${w}: MIGRATE_ON_START is not false (the Job migrates)`);
  check(Boolean(env.KAFKA_BROKERS), `${w}: KAFKA_BROKERS not set`);
  const names = new Set([
    ...Object.keys(env),
    ...(c.env ?? []).map((/** @type {any} */ e) => e.name),
  ]);
  for (const required of ['DATABASE_URL', 'API_KEYS', 'LOG_LEVEL']) {
    check(names.has(required), `${w}: ${required} not set`);
  }
  if (name === 'payment') {
    for (const required of PAYMENT_ENV) check(names.has(required), `${w}: ${required} not set`);
  }
}

/**
 * @param {string} build
 * @param {K8sObject[]} objects
 * @param {K8sObject} d
 */
export function checkDeployment(build, objects, d) {
  const w = `${build}: ${id(d)}`;
  const spec = d.spec.template.spec;
  check(
    matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels),
    `${w}: selector ≠ labels`,
  );
  checkPodSecurity(build, d, spec);
  check(
    spec.terminationGracePeriodSeconds >= 30,
    `${w}: grace period below the 25 s shutdown + preStop`,
  );
  // replicas: signin.mjs (the HPA owns them, except where sessions are in memory).
  const [c] = spec.containers;
  checkProbes(w, c);
  const name = d.metadata.name;
  checkServiceEnv(w, objects, name, c);
  check(
    (c.args ?? []).join(' ') === `services/${name}/dist/main.js`,
    `${w}: does not start its own service (services/${name}/dist/main.js, the image's bundle)`,
  );
  const entry = bundleSource(c.args?.[0] ?? '-');
  check(
    existsSync(path.join(ROOT, entry)),
    `${w}: ${entry}, the source of ${c.args?.[0]}, is not in the repo`,
  );
}

/**
 * The source an image bundle is built from (infra/build.mjs: <ws>/dist/<name>.js ← <ws>/src/<name>.ts);
 * bundles exist only in the image, their sources in the repository.
 * @param {string} file
 */
function bundleSource(file) {
  return file.replace(/\/dist\/([^/]+)\.js$/, '/src/$1.ts');
}

/**
 * @param {string} build
 * @param {K8sObject} j
 */
export function checkJob(build, j) {
  const w = `${build}: ${id(j)}`;
  const spec = j.spec.template.spec;
  checkPodSecurity(build, j, spec);
  const [c] = spec.containers;
  const svc = j.metadata.labels?.['app.kubernetes.io/name'];
  check(
    (c.args ?? []).join(' ') === `packages/db/dist/cli.js migrate:deploy services/${svc}`,
    `${w}: does not run migrate:deploy for services/${svc}`,
  );
  check(
    (c.env ?? []).some((/** @type {any} */ e) => e.name === 'DATABASE_URL'),
    `${w}: no DATABASE_URL`,
  );
  for (const file of [bundleSource(c.args?.[0] ?? '-'), c.args?.[2] ?? '-']) {
    check(existsSync(path.join(ROOT, file)), `${w}: ${file} is not in the repo`);
  }
  check(
    spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure',
    `${w}: restartPolicy`,
  );
}

#!/usr/bin/env node
// Offline checks of the manifests under k8s/ (no cluster needed). Run from anywhere:
//   node k8s/validate.mjs
// 1. Every YAML file parses, every kustomization reference exists, no manifest is orphaned.
// 2. Each build (base, kafka, overlays/*) is rendered with `kubectl kustomize` (or `kustomize
//    build`); without either, the raw resources are checked unpatched and the script says so.
// 3. Rendered objects: core kinds against the Kubernetes OpenAPI schemas (kubernetes-models),
//    then the suite's own rules: probes, resources, non-root read-only pods, ports that agree
//    between ConfigMap PORT, container and Service, selectors that select, Ingress backends,
//    Secrets documented in docs/DEPLOY.md, one KafkaTopic per topic, KafkaUser ACLs.
// Exits 1 with the list of problems, or prints OK.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const K8S = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(K8S);
const NAMESPACE = 'bfi';
const APP_BUILDS = ['base', 'overlays/staging', 'overlays/production'];
const KAFKA_BUILD = 'kafka';
const SERVICES = { payment: 3001, 'pledge-ledger': 3002, reward: 3003 };
const PROVIDER_EGRESS = new Set(['payment']);
// Deployments without a database or broker of their own (the donor pages call the APIs).
const FRONTENDS = { web: 3004 };
const EVENT_TOPICS = ['payment.events', 'ledger.events', 'reward.events'];
const TOPICS = [...EVENT_TOPICS, ...EVENT_TOPICS.map((t) => `${t}.dlq`)];
const PARTITIONS = 3;
// What each service's Kafka principal must be able to do (topic → operations), and its groups.
const ACCESS = {
  'bfi-payment': { topics: { 'payment.events': ['Write'] }, groups: [] },
  'bfi-pledge-ledger': {
    topics: {
      'payment.events': ['Read'],
      'payment.events.dlq': ['Write'],
      'ledger.events': ['Write'],
    },
    groups: ['pledge-ledger'],
  },
  'bfi-reward': {
    topics: {
      'ledger.events': ['Read'],
      'ledger.events.dlq': ['Write'],
      'reward.events': ['Write'],
    },
    groups: ['reward'],
  },
};
const PUBLIC_PATHS = {
  '/donations': 'payment',
  '/webhooks/stripe': 'payment',
  '/webhooks/paypal': 'payment',
  '/donation-points': 'payment',
  '/campaign/totals': 'pledge-ledger',
  '/rewards/by-donation': 'reward',
  '/digital-packs': 'reward',
  // Everything else: the donor pages (campaign, donate, thank-you, receipts).
  '/': 'web',
};
const STRIMZI_API = 'kafka.strimzi.io/v1';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass']);

const problems = [];
const notes = [];
let checks = 0;
function check(ok, message) {
  checks += 1;
  if (!ok) problems.push(message);
  return ok;
}
const rel = (p) => path.relative(ROOT, p);
const id = (o) => `${o.kind}/${o.metadata?.name}`;

// ---------- 1. files and kustomization references ----------

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

function parseFile(file) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out = [];
  for (const doc of docs) {
    for (const err of doc.errors) check(false, `${rel(file)}: YAML error: ${err.message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

const parsed = new Map(yamlFiles(K8S).map((f) => [f, parseFile(f)]));
const referenced = new Set();

/** Walks a kustomization and its sub-kustomizations; returns the raw resources (unpatched). */
function walkKustomization(dir) {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((n) => path.join(dir, n))
    .find(existsSync);
  if (!check(Boolean(file), `${rel(dir)}: no kustomization.yaml`)) return [];
  referenced.add(file);
  const k = parsed.get(file)?.[0] ?? {};
  const raw = [];
  const refs = [
    ...(k.resources ?? []).map((r) => ['resource', r]),
    ...(k.components ?? []).map((r) => ['component', r]),
    ...(k.patches ?? []).filter((p) => p.path).map((p) => ['patch', p.path]),
    ...[...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap((g) => [
      ...(g.files ?? []).map((f) => ['generator file', f.split('=').pop()]),
      ...(g.envs ?? []).map((f) => ['generator env', f]),
    ]),
  ];
  for (const [what, ref] of refs) {
    const target = path.resolve(dir, ref);
    if (!check(existsSync(target), `${rel(file)}: ${what} ${ref} does not exist`)) continue;
    if (statSync(target).isDirectory()) raw.push(...walkKustomization(target));
    else {
      referenced.add(target);
      if (what === 'resource') raw.push(...(parsed.get(target) ?? []));
    }
  }
  return raw;
}

const rawBuilds = new Map(
  [...APP_BUILDS, KAFKA_BUILD].map((b) => [b, walkKustomization(path.join(K8S, b))]),
);
for (const file of parsed.keys()) {
  check(referenced.has(file), `${rel(file)} is not referenced by any kustomization`);
}

// ---------- 2. render ----------

function findRenderer() {
  const tryRun = (cmd, args) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (tryRun('kustomize', ['version'])) return ['kustomize', ['build']];
  if (tryRun('kubectl', ['version', '--client'])) return ['kubectl', ['kustomize']];
  return null;
}

const renderer = findRenderer();
function render(build) {
  if (!renderer) return rawBuilds.get(build);
  const [cmd, args] = renderer;
  try {
    const out = execFileSync(cmd, [...args, path.join(K8S, build)], { encoding: 'utf8' });
    return parseAllDocuments(out)
      .map((d) => d.toJS())
      .filter(Boolean);
  } catch (err) {
    check(false, `${build}: ${cmd} ${args.join(' ')} failed: ${String(err.stderr ?? err).trim()}`);
    return [];
  }
}
if (renderer) notes.push(`rendered with \`${renderer[0]} ${renderer[1].join(' ')}\``);
else notes.push('no kustomize or kubectl found: checked the raw resources without patches');

// ---------- 3a. schemas of core kinds ----------

async function validateSchema(build, objects) {
  let validated = 0;
  for (const o of objects) {
    if (!o.apiVersion || o.apiVersion.startsWith('kafka.strimzi.io')) continue;
    let Model;
    try {
      Model = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`))[o.kind];
    } catch {
      notes.push(`${build}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
      validated += 1;
    } catch (err) {
      check(false, `${build}: ${id(o)} does not match the ${o.apiVersion} schema: ${err.message}`);
    }
  }
  return validated;
}

async function schemaCheck(builds) {
  try {
    await import('kubernetes-models/apps/v1/Deployment');
  } catch {
    notes.push('kubernetes-models not installed: schema validation skipped');
    return;
  }
  let total = 0;
  for (const [build, objects] of builds) total += await validateSchema(build, objects);
  notes.push(`${total} core objects validated against the Kubernetes OpenAPI schemas`);
}

// ---------- 3b. the suite's rules ----------

const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const baseName = (name, objects, kind) =>
  // Generated ConfigMaps carry a hash suffix after rendering.
  byKind(objects, kind).find(
    (o) => o.metadata.name === name || o.metadata.name.startsWith(`${name}-`),
  );

function checkPodSecurity(build, o, podSpec) {
  const where = `${build}: ${id(o)}`;
  const podCtx = podSpec.securityContext ?? {};
  for (const c of podSpec.containers ?? []) {
    const ctx = { ...podCtx, ...(c.securityContext ?? {}) };
    const w = `${where} container ${c.name}`;
    check(ctx.runAsNonRoot === true, `${w}: runAsNonRoot is not true`);
    check(ctx.runAsUser === undefined || ctx.runAsUser > 0, `${w}: runAsUser is 0`);
    check(c.securityContext?.readOnlyRootFilesystem === true, `${w}: root filesystem is writable`);
    check(
      c.securityContext?.allowPrivilegeEscalation === false,
      `${w}: privilege escalation allowed`,
    );
    check(c.securityContext?.capabilities?.drop?.includes('ALL'), `${w}: capabilities not dropped`);
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
    const vol = tmp && (podSpec.volumes ?? []).find((v) => v.name === tmp.name);
    check(Boolean(vol?.emptyDir), `${w}: /tmp is not a writable emptyDir`);
    const r = c.resources ?? {};
    check(r.requests?.cpu && r.requests?.memory, `${w}: cpu/memory requests missing`);
    check(r.limits?.memory, `${w}: memory limit missing`);
    const tag = String(c.image).split('/').pop().split(':')[1];
    if (build.startsWith('overlays/')) {
      check(tag && tag !== 'latest', `${w}: image ${c.image} has no pinned tag`);
    }
  }
  check(podSpec.automountServiceAccountToken === false, `${where}: service account token mounted`);
}

function containerPort(container, port) {
  return (container.ports ?? []).find((p) => p.name === port || p.containerPort === port);
}

function envFromConfigMaps(objects, container) {
  const env = {};
  for (const ref of container.envFrom ?? []) {
    if (!ref.configMapRef) continue;
    const cm = baseName(ref.configMapRef.name, objects, 'ConfigMap');
    if (check(Boolean(cm), `ConfigMap ${ref.configMapRef.name} is referenced but not built`)) {
      Object.assign(env, cm.data);
    }
  }
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

function checkDeployment(build, objects, d) {
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
  check(d.spec.replicas === undefined, `${w}: sets replicas (the HPA owns them)`);
  const [c] = spec.containers;
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
  const env = envFromConfigMaps(objects, c);
  const http = containerPort(c, 'http');
  check(Boolean(http), `${w}: no container port named http`);
  check(http && String(http.containerPort) === env.PORT, `${w}: PORT=${env.PORT} ≠ containerPort`);
  const name = d.metadata.name;
  const port = SERVICES[name] ?? FRONTENDS[name];
  if (port) check(http?.containerPort === port, `${w}: port is not ${port}`);
  if (FRONTENDS[name]) {
    check(Boolean(env.PAYMENT_URL && env.LEDGER_URL && env.REWARD_URL), `${w}: API URLs not set`);
    return checkArgs(w, c, name);
  }
  check(env.MIGRATE_ON_START === 'false', `${w}: MIGRATE_ON_START is not false (the Job migrates)`);
  check(Boolean(env.KAFKA_BROKERS), `${w}: KAFKA_BROKERS not set`);
  const names = new Set([...Object.keys(env), ...(c.env ?? []).map((e) => e.name)]);
  for (const required of ['DATABASE_URL', 'API_KEYS', 'LOG_LEVEL']) {
    check(names.has(required), `${w}: ${required} not set`);
  }
  if (name === 'payment') {
    for (const required of [
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'PAYPAL_CLIENT_ID',
      'PAYPAL_CLIENT_SECRET',
      'PAYPAL_WEBHOOK_ID',
      'QR_SECRET',
      'PUBLIC_BASE_URL',
    ]) {
      check(names.has(required), `${w}: ${required} not set`);
    }
  }
  checkArgs(w, c, name);
}

function checkArgs(w, c, name) {
  check(
    (c.args ?? []).join(' ') === `services/${name}/src/main.ts`,
    `${w}: does not start its own service`,
  );
  check(existsSync(path.join(ROOT, c.args?.[0] ?? '-')), `${w}: ${c.args?.[0]} is not in the repo`);
}

function checkJob(build, j) {
  const w = `${build}: ${id(j)}`;
  const spec = j.spec.template.spec;
  checkPodSecurity(build, j, spec);
  const [c] = spec.containers;
  const svc = j.metadata.labels?.['app.kubernetes.io/name'];
  check(
    (c.args ?? []).join(' ') === `packages/db/src/cli.ts migrate:deploy services/${svc}`,
    `${w}: does not run migrate:deploy for services/${svc}`,
  );
  check(
    (c.env ?? []).some((e) => e.name === 'DATABASE_URL'),
    `${w}: no DATABASE_URL`,
  );
  for (const file of [c.args?.[0] ?? '-', c.args?.[2] ?? '-']) {
    check(existsSync(path.join(ROOT, file)), `${w}: ${file} is not in the repo`);
  }
  check(
    spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure',
    `${w}: restartPolicy`,
  );
}

function checkService(build, objects, s) {
  const w = `${build}: ${id(s)}`;
  const targets = byKind(objects, 'Deployment').filter((d) =>
    matches(s.spec.selector, d.spec.template.metadata.labels),
  );
  if (!check(targets.length === 1, `${w}: selects ${targets.length} Deployments, not 1`)) return;
  const [c] = targets[0].spec.template.spec.containers;
  for (const p of s.spec.ports) {
    const cp = containerPort(c, p.targetPort ?? p.port);
    check(Boolean(cp), `${w}: targetPort ${p.targetPort} is not a container port`);
    check(
      cp && cp.containerPort === p.port,
      `${w}: port ${p.port} ≠ containerPort ${cp?.containerPort}`,
    );
  }
}

function selectsSomething(build, objects, o, selector) {
  const pods = [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')].map(
    (x) => x.spec.template.metadata.labels,
  );
  check(
    pods.some((labels) => matches(selector, labels)),
    `${build}: ${id(o)} selects no pod template`,
  );
}

function checkNetworkPolicy(build, objects, np) {
  const w = `${build}: ${id(np)}`;
  selectsSomething(build, objects, np, np.spec.podSelector.matchLabels);
  check(
    ['Ingress', 'Egress'].every((t) => np.spec.policyTypes?.includes(t)),
    `${w}: does not restrict both directions`,
  );
  const egressPorts = (np.spec.egress ?? []).flatMap((e) => (e.ports ?? []).map((p) => p.port));
  check(egressPorts.includes(53), `${w}: no DNS egress`);
  // docs/DEPLOY.md patches /spec/egress/0 to point every policy at a managed database.
  const first = np.spec.egress?.[0]?.ports ?? [];
  check(first.length === 1 && first[0].port === 5432, `${w}: egress[0] is not the PostgreSQL rule`);
  const name = np.metadata.name;
  if (!SERVICES[name]) return;
  check(egressPorts.includes(9092), `${w}: no Kafka egress`);
  check(
    egressPorts.includes(443) === PROVIDER_EGRESS.has(name),
    `${w}: HTTPS egress should be ${PROVIDER_EGRESS.has(name) ? 'allowed' : 'denied'}`,
  );
  check(
    (np.spec.ingress ?? []).length > 0,
    `${w}: no ingress rule (ingress controller, Prometheus)`,
  );
}

function checkIngress(build, objects, ing) {
  const w = `${build}: ${id(ing)}`;
  const tlsHosts = new Set((ing.spec.tls ?? []).flatMap((t) => t.hosts ?? []));
  const seen = {};
  for (const rule of ing.spec.rules ?? []) {
    check(tlsHosts.has(rule.host), `${w}: host ${rule.host} has no TLS`);
    for (const p of rule.http?.paths ?? []) {
      const backend = p.backend.service;
      seen[p.path] = backend.name;
      const svc = byKind(objects, 'Service').find((s) => s.metadata.name === backend.name);
      if (!check(Boolean(svc), `${w}: backend Service ${backend.name} does not exist`)) continue;
      check(
        svc.spec.ports.some(
          (sp) => sp.name === backend.port.name || sp.port === backend.port.number,
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

function secretRefs(objects) {
  const refs = new Map();
  for (const o of [...byKind(objects, 'Deployment'), ...byKind(objects, 'Job')]) {
    for (const c of o.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) refs.set(`${ref.name}/${ref.key}`, [ref.name, ref.key]);
      }
    }
  }
  return [...refs.values()];
}

function checkAppBuild(build, objects) {
  for (const o of objects) {
    if (CLUSTER_SCOPED.has(o.kind)) continue;
    check(
      o.metadata?.namespace === NAMESPACE,
      `${build}: ${id(o)} is not in namespace ${NAMESPACE}`,
    );
  }
  for (const svc of [...Object.keys(SERVICES), ...Object.keys(FRONTENDS)]) {
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]) {
      check(
        byKind(objects, kind).some((o) => o.metadata.name === svc),
        `${build}: ${kind}/${svc} missing`,
      );
    }
    if (SERVICES[svc])
      check(
        byKind(objects, 'Job').some((j) => j.metadata.name === `${svc}-migrate`),
        `${build}: Job/${svc}-migrate missing`,
      );
  }
  for (const d of byKind(objects, 'Deployment')) checkDeployment(build, objects, d);
  for (const j of byKind(objects, 'Job')) checkJob(build, j);
  for (const s of byKind(objects, 'Service')) checkService(build, objects, s);
  for (const np of byKind(objects, 'NetworkPolicy')) checkNetworkPolicy(build, objects, np);
  for (const h of byKind(objects, 'HorizontalPodAutoscaler')) {
    const w = `${build}: ${id(h)}`;
    const t = h.spec.scaleTargetRef;
    check(
      byKind(objects, t.kind).some((o) => o.metadata.name === t.name),
      `${w}: target ${t.kind}/${t.name} missing`,
    );
    check(h.spec.minReplicas >= 1 && h.spec.minReplicas <= h.spec.maxReplicas, `${w}: bad bounds`);
    check(
      (h.spec.metrics ?? []).some((m) => m.resource?.name === 'cpu'),
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
  const ingresses = byKind(objects, 'Ingress');
  if (build.startsWith('overlays/')) {
    check(
      ingresses.length === 1,
      `${build}: expected one public Ingress, found ${ingresses.length}`,
    );
  }
  for (const ing of ingresses) checkIngress(build, objects, ing);
  const deployDoc = path.join(ROOT, 'docs', 'DEPLOY.md');
  const doc = existsSync(deployDoc) ? readFileSync(deployDoc, 'utf8') : '';
  for (const [name, key] of secretRefs(objects)) {
    check(
      doc.includes(name) && doc.includes(key),
      `${build}: Secret ${name} key ${key} is not in docs/DEPLOY.md`,
    );
  }
}

// ---------- 3c. Strimzi ----------

function topicsFromEventsPackage() {
  const file = path.join(ROOT, 'packages', 'events', 'src', 'topics.ts');
  if (!existsSync(file)) return null;
  return [...readFileSync(file, 'utf8').matchAll(/'([a-z-]+\.events)'/g)].map((m) => m[1]);
}

function checkKafkaBuild(objects, appObjects) {
  const b = KAFKA_BUILD;
  const strimzi = objects.filter((o) => o.apiVersion?.startsWith('kafka.strimzi.io/'));
  for (const o of strimzi) {
    check(o.apiVersion === STRIMZI_API, `${b}: ${id(o)} uses ${o.apiVersion}, not ${STRIMZI_API}`);
    check(o.metadata?.namespace === NAMESPACE, `${b}: ${id(o)} is not in namespace ${NAMESPACE}`);
  }
  const [kafka, ...more] = byKind(objects, 'Kafka');
  if (!check(kafka && more.length === 0, `${b}: expected exactly one Kafka`)) return;
  const cluster = kafka.metadata.name;
  for (const o of strimzi.filter((x) => x.kind !== 'Kafka')) {
    check(
      o.metadata.labels?.['strimzi.io/cluster'] === cluster,
      `${b}: ${id(o)} not labelled for ${cluster}`,
    );
  }
  check(!kafka.spec.zookeeper, `${b}: Kafka has a zookeeper section (KRaft only)`);
  const roles = byKind(objects, 'KafkaNodePool').flatMap((p) => p.spec.roles ?? []);
  check(roles.includes('controller') && roles.includes('broker'), `${b}: node pools lack a role`);
  for (const p of byKind(objects, 'KafkaNodePool')) {
    check(p.spec.replicas >= 3, `${b}: ${id(p)} has fewer than 3 replicas`);
  }
  check(kafka.spec.kafka.authorization?.type === 'simple', `${b}: ACLs are not enforced`);

  // Topics: the fixed list, and whatever packages/events declares.
  const declared = topicsFromEventsPackage();
  if (declared) {
    for (const t of declared)
      check(EVENT_TOPICS.includes(t), `packages/events declares ${t}, unknown here`);
  } else notes.push('packages/events/src/topics.ts not found: topic list not cross-checked');
  const topics = new Map(
    byKind(objects, 'KafkaTopic').map((t) => [t.spec.topicName ?? t.metadata.name, t]),
  );
  for (const name of TOPICS) {
    const t = topics.get(name);
    if (!check(Boolean(t), `${b}: no KafkaTopic for ${name}`)) continue;
    check(t.spec.partitions === PARTITIONS, `${b}: ${name} has ${t.spec.partitions} partitions`);
    check(t.spec.replicas >= 3, `${b}: ${name} has fewer than 3 replicas`);
    const retention = Number(t.spec.config?.['retention.ms']);
    check(retention >= 30 * 24 * 3600 * 1000, `${b}: ${name} keeps less than 30 days`);
    if (name.endsWith('.dlq')) {
      const source = Number(topics.get(name.slice(0, -4))?.spec.config?.['retention.ms']);
      check(retention > source, `${b}: ${name} does not outlive its topic`);
    }
  }

  // Users: every ACL well-formed, on a known topic, and exactly the access each service needs.
  const users = new Map(byKind(objects, 'KafkaUser').map((u) => [u.metadata.name, u]));
  for (const [user, want] of Object.entries(ACCESS)) {
    const u = users.get(user);
    if (!check(Boolean(u), `${b}: no KafkaUser ${user}`)) continue;
    const acls = u.spec.authorization?.acls ?? [];
    for (const a of acls) {
      check(
        Array.isArray(a.operations) && !('operation' in a),
        `${b}: ${user} ACL without operations[]`,
      );
      if (a.resource.type === 'topic')
        check(topics.has(a.resource.name), `${b}: ${user} ACL on unknown topic ${a.resource.name}`);
    }
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

  // The services' KAFKA_BROKERS must name this cluster's bootstrap Service and a listener port,
  // and that listener must admit the service pods.
  const listeners = kafka.spec.kafka.listeners ?? [];
  for (const [build, objs] of appObjects) {
    const common = baseName('bfi-common', objs, 'ConfigMap');
    for (const broker of String(common?.data?.KAFKA_BROKERS ?? '').split(',')) {
      const [host, port] = broker.trim().split(':');
      check(
        host === `${cluster}-kafka-bootstrap` || host.startsWith(`${cluster}-kafka-bootstrap.`),
        `${build}: KAFKA_BROKERS host ${host} is not ${cluster}'s bootstrap`,
      );
      const listener = listeners.find((l) => String(l.port) === port);
      if (!check(Boolean(listener), `${build}: KAFKA_BROKERS port ${port} is no listener`))
        continue;
      for (const d of byKind(objs, 'Deployment')) {
        if (FRONTENDS[d.metadata.name]) continue;
        const labels = d.spec.template.metadata.labels;
        check(
          !listener.networkPolicyPeers ||
            listener.networkPolicyPeers.some((p) => matches(p.podSelector?.matchLabels, labels)),
          `${build}: ${id(d)} is not a networkPolicyPeer of listener ${listener.name}`,
        );
      }
    }
  }
}

// ---------- run ----------

const rendered = new Map([...APP_BUILDS, KAFKA_BUILD].map((b) => [b, render(b)]));
await schemaCheck(rendered);
const appObjects = APP_BUILDS.map((b) => [b, rendered.get(b)]);
for (const [build, objects] of appObjects) checkAppBuild(build, objects);
checkKafkaBuild(rendered.get(KAFKA_BUILD), appObjects);

for (const n of notes) console.log(`note: ${n}`);
const counts = [...rendered].map(([b, o]) => `${b} ${o.length}`).join(', ');
console.log(`${parsed.size} YAML files, objects per build: ${counts}; ${checks} checks`);
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('OK');

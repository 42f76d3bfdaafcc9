#!/usr/bin/env node
// @ts-check
// Offline checks of the manifests under k8s/ (no cluster needed). Run from anywhere:
//   node k8s/validate.mjs [--dir <manifests folder>]   (default: this folder; tests pass a copy)
// 1. Every YAML file parses, every kustomization reference exists, no manifest is orphaned.
// 2. Each build (base, kafka, overlays/*) is rendered with `kubectl kustomize` (or `kustomize
//    build`); without either, the raw resources are checked unpatched and the script says so.
// 3. Rendered objects: core kinds against the Kubernetes OpenAPI schemas (kubernetes-models),
//    then the suite's own rules: probes, resources, non-root read-only pods, ports that agree
//    between ConfigMap PORT, container, Service and the service's config, selectors that select,
//    Ingress backends, Secrets documented in docs/DEPLOY.md (and read where it says), in-cluster
//    URLs admitted by both sides' NetworkPolicies, egress to the tracing collector, one replica
//    without an HPA where sessions are in memory, PDBs that allow a drain, one KafkaTopic per
//    topic of packages/events, KafkaUser ACLs, the Kafka version equal to the one the tests run
//    (infra/kafka/pom.xml).
// Exits 1 with the list of problems, 2 on a bad argument, or prints OK.
// The parts live in validate/: expected (what the code declares), manifests (files, render),
// schema, workloads, network, reach (with policy, NetworkPolicy evaluation), signin, app-build
// and strimzi (the rules), report (counting problems).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAppBuild } from './validate/app-build.mjs';
import { APP_BUILDS, KAFKA_BUILD } from './validate/expected.mjs';
import { readManifests, renderBuilds } from './validate/manifests.mjs';
import { checkCount, notes, problems } from './validate/report.mjs';
import { schemaCheck } from './validate/schema.mjs';
import { checkKafkaBuild } from './validate/strimzi.mjs';

/** @param {string[]} args @returns {string | null} the manifests folder, or null on bad usage */
function manifestsDir(args) {
  if (args.length === 0) return path.dirname(fileURLToPath(import.meta.url));
  if (args.length === 2 && args[0] === '--dir' && args[1]) return path.resolve(args[1]);
  return null;
}

const k8sDir = manifestsDir(process.argv.slice(2));
if (!k8sDir) {
  console.error('usage: node k8s/validate.mjs [--dir <manifests folder>]');
  process.exit(2);
}

const { fileCount, rawBuilds } = readManifests(k8sDir, [...APP_BUILDS, KAFKA_BUILD]);
const rendered = renderBuilds(k8sDir, rawBuilds);
await schemaCheck(rendered);
/** @type {[string, import('./validate/report.mjs').K8sObject[]][]} */
const appObjects = APP_BUILDS.map((b) => [b, rendered.get(b) ?? []]);
for (const [build, objects] of appObjects) checkAppBuild(build, objects);
checkKafkaBuild(rendered.get(KAFKA_BUILD) ?? [], appObjects);

for (const n of notes) console.log(`note: ${n}`);
const counts = [...rendered].map(([b, o]) => `${b} ${o.length}`).join(', ');
console.log(`${fileCount} YAML files, objects per build: ${counts}; ${checkCount()} checks`);
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('OK');

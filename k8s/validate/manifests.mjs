// @ts-check
// Reading the manifests: every YAML file parses, every kustomization reference exists, no file is
// orphaned; then each build is rendered with kustomize (or kubectl kustomize) when one is there.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { check, note, rel } from './report.mjs';

/** @typedef {import('./report.mjs').K8sObject} K8sObject */

/** @param {string} dir @returns {string[]} */
function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** @param {string} file @returns {K8sObject[]} */
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

/**
 * The files a kustomization points at, as [what, relative path] pairs.
 * @param {any} k a parsed kustomization.yaml
 * @returns {[string, string][]}
 */
function kustomizationRefs(k) {
  /** @type {(what: string) => (ref: string) => [string, string]} */
  const as = (what) => (ref) => [what, ref];
  const generators = [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])];
  return [
    ...(k.resources ?? []).map(as('resource')),
    ...(k.components ?? []).map(as('component')),
    ...(k.patches ?? [])
      .filter((/** @type {any} */ p) => p.path)
      .map((/** @type {any} */ p) => as('patch')(p.path)),
    ...generators.flatMap((g) => [
      ...(g.files ?? []).map((/** @type {string} */ f) =>
        as('generator file')(f.split('=').pop() ?? f),
      ),
      ...(g.envs ?? []).map(as('generator env')),
    ]),
  ];
}

/**
 * Every YAML file under the manifests folder, and the raw (unpatched) resources of each build.
 * @param {string} k8sDir
 * @param {string[]} builds folders under k8sDir
 */
export function readManifests(k8sDir, builds) {
  const parsed = new Map(yamlFiles(k8sDir).map((f) => [f, parseFile(f)]));
  /** @type {Set<string>} */
  const referenced = new Set();

  /** Walks a kustomization and its sub-kustomizations. @param {string} dir @returns {K8sObject[]} */
  function walk(dir) {
    const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
      .map((n) => path.join(dir, n))
      .find(existsSync);
    if (!check(Boolean(file), `${rel(dir)}: no kustomization.yaml`) || !file) return [];
    referenced.add(file);
    const raw = [];
    for (const [what, ref] of kustomizationRefs(parsed.get(file)?.[0] ?? {})) {
      const target = path.resolve(dir, ref);
      if (!check(existsSync(target), `${rel(file)}: ${what} ${ref} does not exist`)) continue;
      if (statSync(target).isDirectory()) raw.push(...walk(target));
      else {
        referenced.add(target);
        if (what === 'resource') raw.push(...(parsed.get(target) ?? []));
      }
    }
    return raw;
  }

  const rawBuilds = new Map(builds.map((b) => [b, walk(path.join(k8sDir, b))]));
  for (const file of parsed.keys()) {
    check(referenced.has(file), `${rel(file)} is not referenced by any kustomization`);
  }
  return { fileCount: parsed.size, rawBuilds };
}

/** @returns {[string, string[]] | null} */
function findRenderer() {
  /** @param {string} cmd @param {string[]} args */
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

/**
 * Renders each build; without kustomize or kubectl, the raw resources stand in (and a note says so).
 * @param {string} k8sDir
 * @param {Map<string, K8sObject[]>} rawBuilds
 * @returns {Map<string, K8sObject[]>}
 */
export function renderBuilds(k8sDir, rawBuilds) {
  const renderer = findRenderer();
  if (!renderer) {
    note('no kustomize or kubectl found: checked the raw resources without patches');
    return rawBuilds;
  }
  note(`rendered with \`${renderer[0]} ${renderer[1].join(' ')}\``);
  const [cmd, args] = renderer;
  /** @param {string} build @returns {K8sObject[]} */
  const render = (build) => {
    try {
      const out = execFileSync(cmd, [...args, path.join(k8sDir, build)], { encoding: 'utf8' });
      return parseAllDocuments(out)
        .map((d) => d.toJS())
        .filter(Boolean);
    } catch (err) {
      const stderr = /** @type {{ stderr?: unknown }} */ (err).stderr;
      check(false, `${build}: ${cmd} ${args.join(' ')} failed: ${String(stderr ?? err).trim()}`);
      return [];
    }
  };
  return new Map([...rawBuilds.keys()].map((b) => [b, render(b)]));
}

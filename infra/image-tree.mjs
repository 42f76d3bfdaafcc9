#!/usr/bin/env node
// @ts-check
// The runtime image's /app tree, made the way the Dockerfile makes it, and the commands the
// Dockerfile runs (so the two cannot drift apart):
//
//   node infra/image-tree.mjs install <tree>          in a folder holding the manifests: production
//                                                     dependencies of the runtime workspaces only
//   node infra/image-tree.mjs copy <repo> <tree> [--fakes]
//                                                     the built bundles and the files they read
//   node infra/image-tree.mjs build [--out <dir>] [--start]
//                                                     without Docker: manifests → install → `npm run
//                                                     build` here → copy, into <dir> (default: a temp
//                                                     folder); prints its size; --start then runs
//                                                     each service's migrations and the service from
//                                                     it with plain `node` (no tsx) on a fresh database
//                                                     (PG_ADMIN_URL) and Kafka (KAFKA_BROKERS) until
//                                                     /readyz answers 200, then one SIGTERM (exit 0)
//   node infra/image-tree.mjs start <tree>            only the --start check, on a tree made before
//
// What is in the tree: package.json + package-lock.json of every workspace (npm needs them to
// install), node_modules with `npm ci --omit=dev` for the runtime workspaces (Prisma's CLI, tsx,
// TypeScript, Jest stay out), each service's dist/ (infra/build.mjs), its migrations and the web's
// static files. No TypeScript source.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The workspaces the image runs: the four services and the migration CLI. */
export const RUNTIME_WORKSPACES = [
  '@bfi/payment',
  '@bfi/pledge-ledger',
  '@bfi/reward',
  '@bfi/web',
  '@bfi/db',
];

/** What the bundles read at run time besides node_modules, relative to the repository root. */
export const RUNTIME_FILES = [
  'services/payment/dist',
  'services/payment/src/db/migrations',
  'services/pledge-ledger/dist',
  'services/pledge-ledger/src/db/migrations',
  'services/reward/dist',
  'services/reward/src/db/migrations',
  'services/web/dist',
  'services/web/src/public',
  'packages/db/dist',
];

/** The demo image's extra: the fake Stripe and PayPal servers (docker-compose.yml). */
export const FAKES_FILES = ['packages/provider-fakes/dist'];

/**
 * @prisma/client ships its query compiler for every database it supports (~70 MB); the suite
 * talks only to PostgreSQL, so the other databases' builds are removed from the tree.
 */
const PRISMA_OTHER_DATABASES = /^query_compiler_.*\.(mysql|sqlite|sqlserver|cockroachdb)\./;

/** @param {string} line */
const log = (line) => process.stderr.write(`image-tree: ${line}\n`);

/** @param {string} tree */
export function installRuntimeDependencies(tree) {
  // --omit=optional: Prisma's CLI is an optional peer of @prisma/client, and npm keeps optional
  // packages under --omit=dev alone; it and what only it brings (Prisma Studio, React, effect,
  // TypeScript: ~200 MB) are all that is optional here. --ignore-scripts: no install script is
  // needed (prisma's would download native engines the suite never runs).
  const args = [
    'ci',
    '--omit=dev',
    '--omit=optional',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  ];
  for (const ws of RUNTIME_WORKSPACES) args.push('--workspace', ws);
  execFileSync('npm', args, { cwd: tree, stdio: 'inherit' });
  const runtime = path.join(tree, 'node_modules', '@prisma', 'client', 'runtime');
  let removed = 0;
  for (const name of fs.existsSync(runtime) ? fs.readdirSync(runtime) : []) {
    if (!PRISMA_OTHER_DATABASES.test(name)) continue;
    fs.rmSync(path.join(runtime, name));
    removed++;
  }
  log(`removed ${removed} query compiler files of databases other than PostgreSQL`);
}

/** @param {string} repo @param {string} tree @param {{ fakes?: boolean }} [options] */
export function copyRuntimeFiles(repo, tree, { fakes = false } = {}) {
  for (const rel of [...RUNTIME_FILES, ...(fakes ? FAKES_FILES : [])]) {
    const from = path.join(repo, rel);
    if (!fs.existsSync(from)) throw new Error(`${rel} is missing: run \`npm run build\` first`);
    fs.cpSync(from, path.join(tree, rel), { recursive: true });
  }
}

/** Copies the manifests npm reads, as the Dockerfile's `manifests` stage keeps them. @param {string} tree */
function copyManifests(tree) {
  const files = ['package.json', 'package-lock.json'];
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  for (const pattern of /** @type {string[]} */ (root.workspaces)) {
    const parent = pattern.replace(/\/\*$/, '');
    for (const name of fs.readdirSync(path.join(REPO_ROOT, parent))) {
      const rel = path.join(parent, name, 'package.json');
      if (fs.existsSync(path.join(REPO_ROOT, rel))) files.push(rel);
    }
  }
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, rel), path.join(tree, rel));
  }
}

/** @param {string} dir @returns {number} bytes on disk, as `du -s` counts them */
function diskUsage(dir) {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object'
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** @param {string} url @param {number} ms @param {import('node:child_process').ChildProcess} child */
async function waitForOk(url, ms, child) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the service exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const last = await fetch(url).then(
    (r) => r.text(),
    (e) => String(e),
  );
  throw new Error(`${url} did not answer 200 within ${ms / 1000} s: ${last}`);
}

/** @type {Record<string, Record<string, string>>} what each service needs beyond PORT and DATABASE_URL */
const SERVICE_ENV = {
  payment: { QR_SECRET: 'image-tree-check-secret-0123456789' },
  'pledge-ledger': {},
  reward: {},
  web: {},
};

/**
 * @param {string} tree
 * @param {string[]} args node arguments, run in the tree with plain node
 * @param {Record<string, string | undefined>} env
 */
function nodeIn(tree, args, env) {
  return spawn(process.execPath, args, {
    cwd: tree,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...env,
    },
  });
}

/** @param {import('node:child_process').ChildProcess} child @returns {Promise<number | string | null>} */
const exitOf = (child) =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));

/** @typedef {{ name: string, port: number, child: import('node:child_process').ChildProcess, exited: Promise<number | string | null> }} Running */

/** @param {URL} admin @param {string} sql */
function psql(admin, sql) {
  execFileSync('psql', [admin.href, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'inherit' });
}

/**
 * A fresh database per service, migrated with the migration Job's command from the tree.
 * @param {string} tree @param {URL} admin @param {string[]} names @param {Record<string, string>} databases filled in
 */
async function migratedDatabases(tree, admin, names, databases) {
  for (const name of names) {
    const db = `bfi_image_tree_${name.replace('-', '_')}_${process.pid}`;
    psql(admin, `CREATE DATABASE ${db}`);
    const url = new URL(admin.href);
    url.pathname = `/${db}`;
    databases[name] = url.href;
    const job = nodeIn(tree, ['packages/db/dist/cli.js', 'migrate:deploy', `services/${name}`], {
      DATABASE_URL: url.href,
    });
    const code = await exitOf(job);
    if (code !== 0) throw new Error(`${name}: migrate:deploy exited with ${code}`);
  }
}

/**
 * @param {string} tree @param {string[]} names @param {Record<string, string>} databases
 * @param {string} brokers @param {Running[]} running filled in
 */
async function launch(tree, names, databases, brokers, running) {
  /** @type {Record<string, number>} */
  const ports = {};
  for (const name of names) ports[name] = await freePort();
  // The web's /readyz asks the three APIs.
  const api = (/** @type {string} */ name) => `http://127.0.0.1:${ports[name]}`;
  const webEnv = {
    PAYMENT_URL: api('payment'),
    LEDGER_URL: api('pledge-ledger'),
    REWARD_URL: api('reward'),
  };
  for (const name of names) {
    const port = /** @type {number} */ (ports[name]);
    const child = nodeIn(tree, [`services/${name}/dist/main.js`], {
      ...SERVICE_ENV[name],
      ...(name === 'web' ? webEnv : {}),
      PORT: String(port),
      DATABASE_URL: databases[name],
      KAFKA_BROKERS: brokers,
      MIGRATE_ON_START: 'false',
      TOPIC_NAMESPACE: `image-tree-${process.pid}.`,
    });
    running.push({ name, port, child, exited: exitOf(child) });
  }
}

/** @param {Running[]} running @returns {Promise<string[]>} the services that did not exit 0 */
async function stopAll(running) {
  for (const r of running) r.child.kill('SIGTERM');
  const codes = await Promise.all(running.map((r) => r.exited));
  return running.flatMap((r, i) => (codes[i] === 0 ? [] : [`${r.name} exited with ${codes[i]}`]));
}

/**
 * The suite from the tree with plain node, as the image runs it: each service's migration Job
 * command first, then the four services together (payment is ready once the ledger announced the
 * funds) with MIGRATE_ON_START=false; every /readyz must answer 200, then one SIGTERM each must end
 * it with exit code 0. Fresh databases on PG_ADMIN_URL, an own topic namespace on KAFKA_BROKERS.
 * @param {string} tree
 */
async function startServices(tree) {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error('--start needs KAFKA_BROKERS (run it through infra/with-infra.mjs)');
  const admin = new URL(
    process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  );
  const names = Object.keys(SERVICE_ENV);
  /** @type {Record<string, string>} */
  const databases = {};
  /** @type {Running[]} */
  const running = [];
  /** @type {string[]} */
  let notClean = [];
  try {
    await migratedDatabases(
      tree,
      admin,
      names.filter((n) => n !== 'web'),
      databases,
    );
    await launch(tree, names, databases, brokers, running);
    await Promise.all(
      running.map((r) => waitForOk(`http://127.0.0.1:${r.port}/readyz`, 90_000, r.child)),
    );
    log(`${names.join(', ')}: plain node ${process.version} from the tree, every /readyz 200`);
  } finally {
    notClean = await stopAll(running);
    for (const db of Object.values(databases))
      psql(admin, `DROP DATABASE IF EXISTS ${new URL(db).pathname.slice(1)} WITH (FORCE)`);
  }
  if (notClean.length > 0) throw new Error(`after SIGTERM: ${notClean.join(', ')}`);
  log('every service stopped on SIGTERM with exit code 0');
}

/** @param {string[]} args */
async function buildTree(args) {
  const outIndex = args.indexOf('--out');
  const tree =
    outIndex >= 0
      ? path.resolve(String(args[outIndex + 1]))
      : fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-image-'));
  const temporary = outIndex < 0;
  fs.rmSync(tree, { recursive: true, force: true });
  fs.mkdirSync(tree, { recursive: true });
  try {
    copyManifests(tree);
    installRuntimeDependencies(tree);
    const filters = RUNTIME_WORKSPACES.map((ws) => `--filter=${ws}`);
    execFileSync('npx', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    copyRuntimeFiles(REPO_ROOT, tree);
    const modules = diskUsage(path.join(tree, 'node_modules'));
    const total = diskUsage(tree);
    log(
      `runtime tree ${tree}: ${(total / 2 ** 20).toFixed(0)} MiB (node_modules ${(modules / 2 ** 20).toFixed(0)} MiB)`,
    );
    if (args.includes('--start')) await startServices(tree);
  } finally {
    if (temporary) fs.rmSync(tree, { recursive: true, force: true });
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'install' && args[0]) installRuntimeDependencies(path.resolve(args[0]));
  else if (command === 'copy' && args[0] && args[1])
    copyRuntimeFiles(path.resolve(args[0]), path.resolve(args[1]), {
      fakes: args.includes('--fakes'),
    });
  else if (command === 'build') await buildTree(args);
  else if (command === 'start' && args[0]) await startServices(path.resolve(args[0]));
  else {
    log(
      'usage: install <tree> | copy <repo> <tree> [--fakes] | build [--out <dir>] [--start] | start <tree>',
    );
    process.exit(2);
  }
}

main().catch((err) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

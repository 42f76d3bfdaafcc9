#!/usr/bin/env node
// @ts-check
// Offline checks of docker-compose.yml (no Docker engine needed), run by .ci/run:
//
//   node infra/compose-check.mjs [--file docker-compose.yml]
//
// 1. `docker-compose -f <file> config -q` accepts it (Debian's docker-compose 1.29.2 validates the
//    file against the Compose schema without an engine and rejects an unknown option);
// 2. the same command refuses a copy with one unknown option added (so check 1 can fail);
// 3. the file agrees with the repository: Kafka is the apache/kafka release the tests run
//    (infra/kafka/pom.xml), every build target is a stage of the Dockerfile, every service
//    command is a bundle whose source exists (<ws>/dist/main.js ← <ws>/src/main.ts).
// Prints OK or the problems and exits 1.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { KAFKA_VERSION } from './kafka/kafka.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {string} file
 * @returns {{ ok: boolean, output: string }}
 */
export function composeConfig(file) {
  try {
    const out = execFileSync(
      'docker-compose',
      ['--project-directory', REPO_ROOT, '-f', file, 'config', '-q'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return { ok: true, output: out };
  } catch (err) {
    const e = /** @type {{ stderr?: string, message: string, code?: string }} */ (err);
    if (e.code === 'ENOENT')
      throw new Error(
        'docker-compose is not installed (Debian: apt-get install -y docker-compose)',
      );
    return { ok: false, output: String(e.stderr ?? e.message) };
  }
}

/**
 * The repository rules (check 3).
 * @param {any} compose the parsed file
 * @returns {string[]} problems
 */
export function repositoryProblems(compose) {
  const problems = [];
  const services = /** @type {Record<string, any>} */ (compose.services ?? {});
  const kafkaImage = services.kafka?.image;
  if (kafkaImage !== `apache/kafka:${KAFKA_VERSION}`)
    problems.push(
      `kafka runs ${kafkaImage}, the tests run apache/kafka:${KAFKA_VERSION} (infra/kafka/pom.xml)`,
    );
  const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const stages = new Set([...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]));
  for (const [name, svc] of Object.entries(services)) {
    const target = svc.build?.target;
    if (svc.build && !stages.has(target))
      problems.push(`${name}: build target ${target} is not a Dockerfile stage`);
    for (const arg of Array.isArray(svc.command) ? svc.command : []) {
      const source = String(arg).replace(/\/dist\/([^/]+)\.js$/, '/src/$1.ts');
      if (source !== arg && !fs.existsSync(path.join(REPO_ROOT, source)))
        problems.push(`${name}: runs ${arg}, but its source ${source} does not exist`);
    }
  }
  for (const name of ['kafka', 'postgres', 'payment', 'pledge-ledger', 'reward', 'web', 'fakes'])
    if (!services[name]) problems.push(`no ${name} service`);
  return problems;
}

function main() {
  const fileIndex = process.argv.indexOf('--file');
  const file = path.resolve(
    fileIndex > 0
      ? String(process.argv[fileIndex + 1])
      : path.join(REPO_ROOT, 'docker-compose.yml'),
  );
  const problems = [];
  const real = composeConfig(file);
  if (!real.ok)
    problems.push(
      `docker-compose config refuses ${path.relative(REPO_ROOT, file)}:\n${real.output.trim()}`,
    );

  const text = fs.readFileSync(file, 'utf8');
  const compose = parse(text, { merge: true });
  const broken = structuredClone(compose);
  broken.services.payment.restart_polic = 'always';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bfi-compose-'));
  try {
    const brokenFile = path.join(tmp, 'docker-compose.yml');
    fs.writeFileSync(brokenFile, JSON.stringify(broken));
    const refused = composeConfig(brokenFile);
    if (refused.ok)
      problems.push(
        'docker-compose config accepted an unknown option (restart_polic): the check cannot fail',
      );
    else if (!refused.output.includes('restart_polic'))
      problems.push(
        `docker-compose config refused the broken copy without naming the option:\n${refused.output.trim()}`,
      );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  problems.push(...repositoryProblems(compose));
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`compose-check: ${p}\n`);
    process.exit(1);
  }
  const version = execFileSync('docker-compose', ['version', '--short'], {
    encoding: 'utf8',
  }).trim();
  process.stdout.write(
    `compose-check: OK (docker-compose ${version} config -q clean; an unknown option is refused; ` +
      `Kafka ${KAFKA_VERSION}, build targets and commands match the repository)\n`,
  );
}

try {
  main();
} catch (err) {
  process.stderr.write(`compose-check: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

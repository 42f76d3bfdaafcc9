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
//    command is a bundle whose source exists (<ws>/dist/<entry>.js ← <ws>/src/<entry>.ts) and
//    that its workspace's `npm run build` makes, a demo-* target's service runs that stage's
//    CMD, the services read the web's person-token keys and the demo OpenID provider (oidc) shares
//    the web's network and issuer URL.
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
  for (const name of [
    'kafka',
    'postgres',
    'payment',
    'pledge-ledger',
    'reward',
    'web',
    'fakes',
    'oidc',
  ])
    if (!services[name]) problems.push(`no ${name} service`);
  problems.push(...stageCommandProblems(services, dockerfile), ...oidcProblems(services));
  return problems;
}

/**
 * Each stage's last CMD (JSON form), e.g. { 'demo-oidc': 'services/suite/dist/oidc-main.js' }.
 * @param {string} dockerfile
 */
function stageCommands(dockerfile) {
  /** @type {Record<string, string>} */
  const commands = {};
  let stage = '';
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) stage = String(from[1]);
    const cmd = /^CMD\s+(\[.*\])\s*$/.exec(line);
    if (cmd && stage) commands[stage] = JSON.parse(String(cmd[1])).join(' ');
  }
  return commands;
}

/**
 * A demo target's service runs the stage's CMD; every command's bundle is in its workspace's build.
 * @param {Record<string, any>} services
 * @param {string} dockerfile
 */
function stageCommandProblems(services, dockerfile) {
  /** @type {string[]} */
  const problems = [];
  const commands = stageCommands(dockerfile);
  for (const [name, svc] of Object.entries(services)) {
    const target = svc.build?.target;
    const command = Array.isArray(svc.command) ? svc.command.join(' ') : undefined;
    if (target?.startsWith('demo-') && command && command !== commands[target])
      problems.push(`${name}: runs ${command}, stage ${target} runs ${commands[target]}`);
    for (const arg of Array.isArray(svc.command) ? svc.command : [commands[target]]) {
      const m = /^((?:services|packages)\/[^/]+)\/dist\/([^/]+)\.js$/.exec(String(arg ?? ''));
      if (!m) continue;
      const ws = String(m[1]);
      const entry = String(m[2]);
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ws, 'package.json'), 'utf8'));
      const build = String(pkg.scripts?.build ?? '');
      /** @type {string[]} */
      const entries =
        build.match(/src\/\S+\.ts/g) ?? (build.includes('build.mjs') ? ['src/main.ts'] : []);
      if (!entries.includes(`src/${entry}.ts`))
        problems.push(`${name}: runs ${arg}, but \`npm run build\` in ${ws} does not make it`);
    }
  }
  return problems;
}

const WEB_PERSON_KEYS = 'http://web:3004/.well-known/person-keys.json';

/**
 * The services accept the web's person tokens; the web reaches the demo OpenID provider at the issuer the browser uses (see docker-compose.yml).
 * @param {Record<string, any>} services
 */
function oidcProblems(services) {
  /** @type {string[]} */
  const problems = [];
  const oidc = services.oidc?.environment ?? {};
  const web = services.web?.environment ?? {};
  if (!web.PERSON_TOKEN_PRIVATE_KEY) problems.push('web: no PERSON_TOKEN_PRIVATE_KEY');
  for (const name of ['payment', 'pledge-ledger', 'reward'])
    if (services[name]?.environment?.PERSON_TOKEN_JWKS_URL !== WEB_PERSON_KEYS)
      problems.push(`${name}: PERSON_TOKEN_JWKS_URL is not the web's ${WEB_PERSON_KEYS}`);
  if (!services.oidc) return problems;
  if (services.oidc.network_mode !== 'service:web')
    problems.push('oidc: network_mode is not service:web (the web would not reach its issuer)');
  if (web.OIDC_ISSUER_URL !== oidc.OIDC_DEMO_ISSUER_URL)
    problems.push(
      `web: OIDC_ISSUER_URL ${web.OIDC_ISSUER_URL} is not oidc's ${oidc.OIDC_DEMO_ISSUER_URL}`,
    );
  if (web.OIDC_CLIENT_SECRET !== oidc.OIDC_DEMO_CLIENT_SECRET)
    problems.push('web: OIDC_CLIENT_SECRET is not the one oidc is given (OIDC_DEMO_CLIENT_SECRET)');
  const webUrls = String(oidc.OIDC_DEMO_WEB_URLS ?? '').split(/\s+/);
  if (!webUrls.some((u) => web.OIDC_REDIRECT_URL === `${u}/signin/callback`))
    problems.push(`web: OIDC_REDIRECT_URL ${web.OIDC_REDIRECT_URL} is not a callback oidc allows`);
  const port = new URL(String(oidc.OIDC_DEMO_ISSUER_URL ?? 'http://x')).port;
  const ports = /** @type {unknown[]} */ (services.web?.ports ?? []).map(String);
  if (!ports.some((p) => p.endsWith(`:${port}:${oidc.OIDC_DEMO_PORT}`)))
    problems.push(`web: does not publish the issuer's port ${port} (oidc listens in its network)`);
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
      `Kafka ${KAFKA_VERSION}, build targets, commands and the OpenID wiring match the repository)\n`,
  );
}

try {
  main();
} catch (err) {
  process.stderr.write(`compose-check: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

#!/usr/bin/env node
// @ts-check
// Local PostgreSQL for tests: make sure the admin server answers (starting a stopped Debian cluster
// if that is what is there) and create/drop per-test databases on it.
//
// CLI:    node infra/postgres/postgres.mjs ensure | create-db <name> | drop-db <name>
// Module: ensurePostgres() -> adminUrl, createDatabase(name) -> url, dropDatabase(name), databaseUrl(name)
//
// Admin URL: env PG_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
// Only Node built-ins and pg.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const DEFAULT_PG_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const START_TIMEOUT_MS = 30_000;
const NAME_PATTERN = /^[a-z0-9_]+$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '']);
const REFUSED = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', '57P03']); // 57P03: starting up

/** An expected failure with a message meant for a person; the CLI prints it without a stack. */
export class PostgresInfraError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'PostgresInfraError';
  }
}

/** @typedef {Error & { code?: string }} PgError An error from pg or the network (SQLSTATE or errno code). */

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

export function adminUrl() {
  return process.env.PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL;
}

/** The URL with any password masked, for messages. @param {string} url */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable PG_ADMIN_URL)';
  }
}

/** @param {unknown} name */
function validateName(name) {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || name.length > 63) {
    throw new PostgresInfraError(
      `postgres: invalid database name ${JSON.stringify(name)} (use 1-63 of a-z, 0-9, _)`,
    );
  }
}

/** The admin URL pointed at another database on the same server. @param {string} name */
export function databaseUrl(name) {
  validateName(name);
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Runs fn with a connected client on the admin database, and closes it.
 * @template T
 * @param {(client: pg.Client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withAdmin(fn) {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * null when the server answers, else the connection error.
 * @returns {Promise<PgError | null>}
 */
async function tryConnect() {
  try {
    await withAdmin((c) => c.query('SELECT 1'));
    return null;
  } catch (err) {
    return /** @type {PgError} */ (err);
  }
}

/** @param {string} cmd */
function hasCommand(cmd) {
  return !spawnSync(cmd, ['--help'], { stdio: 'ignore' }).error;
}

/**
 * Debian clusters from `pg_lsclusters`.
 * @returns {{ version: string, name: string, port: number, status: string }[]}
 */
function listClusters() {
  const res = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  if (res.error || res.status !== 0) return [];
  return res.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4)
    .map(([version = '', name = '', port, status = '']) => ({
      version,
      name,
      port: Number(port),
      status,
    }));
}

/**
 * Starts the stopped local Debian cluster(s) on the admin URL's port; returns whether any was started.
 * @param {number} port
 */
function startLocalClusters(port) {
  const stopped = listClusters().filter((c) => c.port === port && c.status.startsWith('down'));
  for (const c of stopped) {
    log(`postgres: starting stopped cluster ${c.version}/${c.name} on port ${c.port}`);
    // --skip-systemctl-redirect: there is no systemd here; start the server directly.
    const res = spawnSync(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', c.version, c.name, 'start'],
      { encoding: 'utf8' },
    );
    if (res.error || res.status !== 0) {
      const detail = res.error?.message ?? `${res.stdout}\n${res.stderr}`.trim();
      throw new PostgresInfraError(
        `postgres: pg_ctlcluster ${c.version} ${c.name} start failed:\n${detail}`,
      );
    }
  }
  return stopped.length > 0;
}

/** @returns {Promise<PgError | null>} null once the server answers, else the last error */
async function waitForServer() {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let err = await tryConnect();
  while (err && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    err = await tryConnect();
  }
  return err;
}

/** @param {PgError} err */
function unreachable(err) {
  const url = redact(adminUrl());
  const reason = err.code ? `${err.code}: ${err.message}` : err.message;
  if (err.code === '28P01' || err.code === '28000') {
    return new PostgresInfraError(
      `postgres: ${url} refused the login (${reason}). Set PG_ADMIN_URL to a role that may CREATE DATABASE.`,
    );
  }
  return new PostgresInfraError(
    `postgres: cannot reach PostgreSQL at ${url} (${reason}).\n` +
      'Install and start PostgreSQL 15+ (Debian: apt-get install -y postgresql, then ' +
      '`pg_ctlcluster --skip-systemctl-redirect <version> main start`), ' +
      'or set PG_ADMIN_URL to a reachable server whose role may CREATE DATABASE.',
  );
}

/**
 * Makes sure the admin server answers; starts a stopped local Debian cluster if needed.
 * @returns {Promise<string>} the admin URL
 */
export async function ensurePostgres() {
  const url = adminUrl();
  let err = await tryConnect();
  if (!err) return url;

  const { hostname, port } = new URL(url);
  const local = LOCAL_HOSTS.has(hostname);
  if (local && REFUSED.has(err.code ?? '') && hasCommand('pg_lsclusters')) {
    const started = Date.now();
    if (startLocalClusters(Number(port || 5432))) {
      err = await waitForServer();
      if (!err) {
        log(`postgres: up at ${redact(url)} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return url;
      }
    }
  }
  throw unreachable(err);
}

/**
 * Creates the database if it does not exist yet (safe to call twice, or from parallel runs).
 * @param {string} name matching ^[a-z0-9_]+$
 * @returns {Promise<string>} the database's URL
 */
export async function createDatabase(name) {
  validateName(name);
  await withAdmin(async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (err) {
      // 42P04 duplicate_database, 23505: a parallel run created it between our check and CREATE.
      const code = /** @type {PgError} */ (err).code;
      if (code !== '42P04' && code !== '23505') throw err;
    }
  });
  return databaseUrl(name);
}

/**
 * Drops the database if it exists, disconnecting its sessions first.
 * @param {string} name matching ^[a-z0-9_]+$
 */
export async function dropDatabase(name) {
  validateName(name);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * @param {string[]} argv the arguments after the script
 * @returns {Promise<number>} the exit code
 */
async function cli([command, name = '']) {
  switch (command) {
    case 'ensure':
      console.log(`PG_ADMIN_URL=${await ensurePostgres()}`);
      return 0;
    case 'create-db':
      console.log(await createDatabase(name));
      return 0;
    case 'drop-db':
      await dropDatabase(name);
      return 0;
    default:
      console.error(
        'usage: node infra/postgres/postgres.mjs ensure | create-db <name> | drop-db <name>\n' +
          `Admin URL: env PG_ADMIN_URL, else ${DEFAULT_PG_ADMIN_URL}`,
      );
      return command ? 2 : 0;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof PostgresInfraError ? err.message : err);
      process.exit(1);
    },
  );
}

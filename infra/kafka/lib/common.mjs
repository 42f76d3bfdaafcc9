// @ts-check
// What every part of the Kafka scripts shares: the version, the port, where state lives, logging.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** infra/kafka: pom.xml and log4j2.properties live there. */
export const KAFKA_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const POM = path.join(KAFKA_DIR, 'pom.xml');
const LOG4J2 = path.join(KAFKA_DIR, 'log4j2.properties');
// Kafka 4 logs through log4j2 (reload4j and -Dlog4j.configuration are gone since 4.0).
export const LOG_CONFIG = `-Dlog4j2.configurationFile=${LOG4J2}`;
export const HOST = '127.0.0.1';
export const DEFAULT_PORT = 9092;

/** An expected failure with a message meant for a person; the CLI prints it without a stack. */
export class KafkaInfraError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'KafkaInfraError';
  }
}

// The version lives in one place only: pom.xml's <kafka.version> property.
export const KAFKA_VERSION = readPomVersion();

/** @returns {string} */
function readPomVersion() {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new KafkaInfraError(`kafka: no <kafka.version> in ${POM}`);
  return match[1].trim();
}

/** @param {string} line */
export const log = (line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * The port to use: the option, else env KAFKA_PORT, else 9092.
 * @param {number | string | undefined} port
 * @returns {number}
 */
export function resolvePort(port) {
  const value = port ?? process.env.KAFKA_PORT ?? DEFAULT_PORT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65534) {
    throw new KafkaInfraError(
      `kafka: invalid port ${JSON.stringify(value)} (KAFKA_PORT must be 1..65534)`,
    );
  }
  return n;
}

/** ${XDG_CACHE_HOME:-~/.cache}/bfi-kafka/<version>: shared by every clone on the machine. */
export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'bfi-kafka', KAFKA_VERSION);
}

/**
 * @typedef {object} RunPaths The state of one broker: <cache>/run/<port>/.
 * @property {string} dir
 * @property {string} data log.dirs
 * @property {string} config server.properties
 * @property {string} log the broker's stdout and stderr
 * @property {string} pid
 * @property {string} leases one file per process that uses the broker
 */

/**
 * @param {number} port
 * @param {string} [cache] the cache folder of a Kafka version (default: this checkout's)
 * @returns {RunPaths}
 */
export function runPaths(port, cache = cacheDir()) {
  const dir = path.join(cache, 'run', String(port));
  return {
    dir,
    data: path.join(dir, 'data'),
    config: path.join(dir, 'server.properties'),
    log: path.join(dir, 'broker.log'),
    pid: path.join(dir, 'broker.pid'),
    leases: path.join(dir, 'leases'),
  };
}

export const libsDir = () => path.join(cacheDir(), 'libs');
export const classpath = () => `${libsDir()}${path.sep}*`;
export const javaBin = () =>
  process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Seconds since `since` (a Date.now()), for log lines. @param {number} since */
export function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1);
}

/** The errno code of a caught error, if it has one. @param {unknown} err */
export function errorCode(err) {
  return /** @type {NodeJS.ErrnoException} */ (err)?.code;
}

// @ts-check
// The broker jars: fetched from Maven Central with Maven (see ../pom.xml) into the shared cache,
// and the short-lived Kafka tools run from them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  KAFKA_VERSION,
  KafkaInfraError,
  LOG_CONFIG,
  POM,
  cacheDir,
  classpath,
  javaBin,
  libsDir,
  log,
  seconds,
} from './common.mjs';

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} installHint what to tell a person when the tool is missing
 */
function requireTool(cmd, args, installHint) {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.error) {
    const why = /** @type {NodeJS.ErrnoException} */ (res.error).code ?? res.error.message;
    throw new KafkaInfraError(`kafka: \`${cmd}\` is not available (${why}). ${installHint}`);
  }
}

function requireJava() {
  requireTool(
    javaBin(),
    ['-version'],
    'Kafka needs Java 17+: install it (Debian: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME.',
  );
}

// Short-lived JVMs: the serial GC and C1-only JIT start faster (formatting takes ~1 s instead of ~2 s).
const QUICK_JVM = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/**
 * Runs a Kafka main class from the cached jars and returns its stdout.
 * @param {string} mainClass
 * @param {string[]} args
 * @returns {string}
 */
export function runKafkaTool(mainClass, args) {
  const res = spawnSync(
    javaBin(),
    [...QUICK_JVM, LOG_CONFIG, '-cp', classpath(), mainClass, ...args],
    { encoding: 'utf8' },
  );
  if (res.error || res.status !== 0) {
    const detail = res.error?.message ?? `${res.stdout}\n${res.stderr}`.trim();
    throw new KafkaInfraError(`kafka: \`${mainClass} ${args.join(' ')}\` failed:\n${detail}`);
  }
  return res.stdout.trim();
}

/**
 * The last line of `kafka.Kafka --version` from a libs folder, or null if the set is unusable.
 * @param {string} dir
 * @returns {string | null}
 */
function jarVersion(dir) {
  const res = spawnSync(
    javaBin(),
    [...QUICK_JVM, LOG_CONFIG, '-cp', `${dir}${path.sep}*`, 'kafka.Kafka', '--version'],
    { encoding: 'utf8' },
  );
  if (res.error || res.status !== 0) return null;
  return res.stdout.trim().split('\n').pop()?.trim() ?? null;
}

/**
 * Makes sure the broker jars are in the cache. A download goes to a temp folder that is renamed
 * into place only once complete and verified, so an interrupted download is never mistaken for one.
 * @returns {string} the libs folder
 */
export function ensureKafkaJars() {
  requireJava();
  const libs = libsDir();
  if (fs.existsSync(libs)) return libs;

  requireTool(
    'mvn',
    ['-v'],
    'The Kafka broker jars are fetched from Maven Central with Maven: install it (Debian: apt-get install -y maven).',
  );
  fs.mkdirSync(cacheDir(), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheDir(), 'libs.partial-'));
  const started = Date.now();
  log(`kafka: downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} ...`);
  try {
    downloadJars(tmp);
    try {
      fs.renameSync(tmp, libs);
    } catch (err) {
      // Another process finished the same download first: keep theirs.
      if (!fs.existsSync(libs)) throw err;
    }
    log(`kafka: jars ready in ${seconds(started)}s`);
    return libs;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Copies the runtime dependencies of pom.xml into `dir` and checks that they run. @param {string} dir */
function downloadJars(dir) {
  const res = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      POM,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${dir}`,
    ],
    { encoding: 'utf8' },
  );
  if (res.error || res.status !== 0) {
    // Maven 3.8 prints colour resets even in batch mode; strip them from the message.
    // eslint-disable-next-line no-control-regex -- the ANSI escape character is the point
    const output = `${res.stdout}\n${res.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
    const detail = res.error?.message ?? output.split('\n').slice(-30).join('\n');
    throw new KafkaInfraError(
      `kafka: downloading the Kafka ${KAFKA_VERSION} jars with Maven failed (is Maven Central reachable?):\n${detail}`,
    );
  }
  const version = jarVersion(dir);
  if (version !== KAFKA_VERSION) {
    throw new KafkaInfraError(
      `kafka: the downloaded jars do not run \`kafka.Kafka --version\` (got ${JSON.stringify(version)}, expected ${KAFKA_VERSION})`,
    );
  }
}

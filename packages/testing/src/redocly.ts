import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Redocly's recommended ruleset over an OpenAPI document, as `redocly lint` runs it.
 *
 * @redocly/cli 2.x ships as one bundle (its @redocly/openapi-core is not published at the same
 * version), so the CLI itself runs, in a child process, over the document written to a throw-away
 * folder: the answer is exactly what `npx @redocly/cli@2.77.0 lint` prints, errors and warnings.
 */

interface RedoclyProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location?: { pointer?: string }[];
}

const cli = path.join(path.dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');

/** One line per problem: `error operation-operationId at #/paths/~1a/get: Operation object …`. */
export function describeProblem(p: RedoclyProblem): string {
  const where = p.location?.[0]?.pointer ?? '#';
  return `${p.severity} ${p.ruleId} at ${where}: ${p.message}`;
}

function runLint(dir: string, file: string): Promise<string> {
  const args = [cli, 'lint', file, '--format', 'json', '--extends', 'recommended'];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...args, '--lint-config', 'off', '--max-problems', '1000'],
      {
        cwd: dir, // no redocly.yaml of the repo is picked up: the recommended rules only
        env: {
          ...process.env,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
        },
        maxBuffer: 32 * 1024 * 1024,
      },
      // lint exits 1 when it finds errors: the JSON report on stdout is the answer either way.
      (err, stdout, stderr) => {
        if (stdout.trim().startsWith('{')) resolve(stdout);
        else reject(new Error(`redocly lint did not report: ${err?.message ?? ''}\n${stderr}`));
      },
    );
  });
}

/** Every problem (errors and warnings) Redocly's recommended rules find in `doc`; [] when clean. */
export async function redoclyProblems(doc: object): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'redocly-'));
  try {
    const file = path.join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc, null, 2));
    const report = JSON.parse(await runLint(dir, file)) as { problems: RedoclyProblem[] };
    return report.problems.map(describeProblem);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

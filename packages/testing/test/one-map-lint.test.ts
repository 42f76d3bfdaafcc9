// The one map's ESLint rules (eslint.config.mjs at the repo root), each shown to fire on a
// deliberate violation and to let the allowed arrows through. The fixtures are linted through the
// ESLint Node API with the repo's own config, as `npm run lint` runs it, at paths inside a
// made-up service (services/map-fixture) so they match the same `files` globs a real service does.
import { execFile } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

interface Fixture {
  /** Where the file would live, relative to the repo root. */
  filePath: string;
  code: string;
}

interface Finding {
  ruleId: string | null;
  message: string;
}

// ESLint loads its flat config with import(), which Jest's CommonJS sandbox cannot do: the API
// runs in a plain Node child, over the fixtures given on stdin.
const LINT_SCRIPT = `
import { ESLint } from 'eslint';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const f of JSON.parse(input)) {
  const [result] = await eslint.lintText(f.code, { filePath: f.filePath });
  out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
}
process.stdout.write(JSON.stringify(out));
`;

function lint(fixtures: Fixture[]): Promise<Finding[][]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', LINT_SCRIPT],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout)),
    );
    child.stdin?.end(JSON.stringify(fixtures));
  });
}

const at = (layerFile: string) => `services/map-fixture/src/${layerFile}`;
const importing = (source: string) => `import * as m from '${source}';\nexport const x = m;\n`;

/** [layer file, import source that breaks the map] */
const violations: [string, string][] = [
  ['http/routes.ts', '../db/rewards-repo'],
  ['http/routes.ts', '../db'],
  ['http/routes.ts', '@prisma/client'],
  ['http/routes.ts', '../db/generated/prisma/client'],
  ['reconciliation/http/routes.ts', '../../db/statement-repo'],
  ['app/redeem.ts', 'express'],
  ['app/redeem.ts', '@bfi/http'],
  ['app/redeem.ts', '../http/schemas'],
  ['domain/rules.ts', 'express'],
  ['domain/rules.ts', 'kafkajs'],
  ['domain/rules.ts', '@prisma/client'],
  ['domain/rules.ts', 'node:fs'],
  ['domain/rules.ts', 'fs'],
  ['domain/rules.ts', '@bfi/http/src/dates'],
  ['domain/rules.ts', '../db/rules-repo'],
  ['domain/rules.ts', '../app/redeem'],
  ['domain/rules.ts', '../http/errors'],
  ['db/rules-repo.ts', '../http/errors'],
  ['db/rules-repo.ts', '../app/redeem'],
  ['db/rules-repo.ts', '@bfi/http'],
];

/** [layer file, import source the map allows] */
const allowed: [string, string][] = [
  ['http/routes.ts', '../app/redeem'],
  ['http/routes.ts', '../domain'],
  ['http/routes.ts', '@bfi/http'],
  ['http/routes.ts', 'express'],
  ['http/routes.ts', './schemas'],
  ['app/redeem.ts', '../db/rewards-repo'],
  ['app/redeem.ts', '../domain'],
  ['app/redeem.ts', '../events/reward-events'],
  ['app/redeem.ts', '@bfi/messaging'],
  ['domain/rules.ts', './errors'],
  ['domain/rules.ts', '@bfi/money'],
  ['domain/rules.ts', 'node:crypto'],
  ['db/rules-repo.ts', '../domain'],
  ['db/rules-repo.ts', './client'],
  ['db/rules-repo.ts', './generated/prisma/client'],
  ['db/rules-repo.ts', '@prisma/client'],
];

describe('the one map, enforced by ESLint', () => {
  let found: Finding[][];
  beforeAll(async () => {
    found = await lint(
      [...violations, ...allowed].map(([file, source]) => ({
        filePath: at(file),
        code: importing(source),
      })),
    );
  }, 120_000);

  it.each(violations.map((v, i) => [...v, i] as const))(
    '%s importing %s is refused, with the map named in the message',
    (_file, source, i) => {
      // Only this rule, at least once (an import may match two of a layer's patterns).
      expect(found[i]).toContainEqual({
        ruleId: 'no-restricted-imports',
        message: expect.stringMatching(
          new RegExp(`'${source.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'.*The one map`),
        ),
      });
      expect(found[i]?.filter((m) => m.ruleId !== 'no-restricted-imports')).toEqual([]);
    },
  );

  it.each(allowed.map((a, i) => [...a, violations.length + i] as const))(
    '%s importing %s passes',
    (_file, _source, i) => {
      expect(found[i]).toEqual([]);
    },
  );
});

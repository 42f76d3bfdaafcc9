// pledge-ledger's two modules: reconciliation/** may import the ledger only through
// src/ledger/index.ts (eslint.config.mjs, "ledgerDoor"). Each fixture is linted with the repo's
// own config at a path inside reconciliation/, as `npm run lint` sees a real file there.
import { execFile } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

// ESLint loads its flat config with import(), which Jest's CommonJS sandbox cannot: the API runs
// in a plain Node child over the fixtures given on stdin.
const LINT_SCRIPT = `
import { ESLint } from 'eslint';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const f of JSON.parse(input)) {
  const [result] = await eslint.lintText(f.code, { filePath: f.filePath });
  out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
`;

function lint(fixtures: { filePath: string; code: string }[]): Promise<string[][]> {
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

const inRecon = (file: string) => `services/pledge-ledger/src/reconciliation/${file}`;

const refused: [string, string][] = [
  [
    'app/exports.ts',
    "import { listFunds } from '../../ledger/db/funds-repo';\nexport { listFunds };\n",
  ],
  [
    'domain/correction.ts',
    "import { balanced } from '../../ledger/domain/entries';\nexport { balanced };\n",
  ],
  ['http/recon-routes.ts', "export { ledgerErrors } from '../../ledger/http/errors';\n"],
  ['db/recon-sides.ts', "export * from '../../ledger/db/journal-query';\n"],
  ['app/runs.ts', "export const load = () => import('../../ledger/app/payouts');\n"],
];

const allowed: [string, string][] = [
  ['app/resolutions.ts', "import { requireFund } from '../../ledger';\nexport { requireFund };\n"],
  ['app/pdf.ts', "import { listFunds } from '../../ledger/index';\nexport { listFunds };\n"],
  ['app/runs.ts', "import { findRun } from '../db/reconciliation-repo';\nexport { findRun };\n"],
];

describe('the door between the ledger and reconciliation', () => {
  it('refuses every import into ledger/** other than its index, naming the door', async () => {
    const found = await lint(refused.map(([file, code]) => ({ filePath: inRecon(file), code })));
    found.forEach((messages, i) => {
      expect([refused[i]![0], messages]).toEqual([
        refused[i]![0],
        [expect.stringContaining('only through src/ledger/index.ts')],
      ]);
    });
  }, 120_000);

  it('lets reconciliation import the interface and its own files', async () => {
    const found = await lint(allowed.map(([file, code]) => ({ filePath: inRecon(file), code })));
    expect(found).toEqual(allowed.map(() => []));
  }, 120_000);

  it('leaves the ledger free to import its own files', async () => {
    const [messages] = await lint([
      {
        filePath: 'services/pledge-ledger/src/ledger/app/funds.ts',
        code: "import { listFunds } from '../db/funds-repo';\nexport { listFunds };\n",
      },
    ]);
    expect(messages).toEqual([]);
  }, 120_000);
});

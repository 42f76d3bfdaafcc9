// The rule that keeps packages/ libraries (eslint.config.mjs): a file under packages/ that
// imports a service or the suite, or reaches into services/ by a path, fails the lint. ESLint
// runs as a child process on text given on stdin, named as a file of packages/http.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

function lint(source: string, file = 'packages/http/src/probe.ts') {
  const run = spawnSync(
    process.execPath,
    [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', file],
    { cwd: ROOT, input: source, encoding: 'utf8', timeout: 120_000 },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null }[] }[];
  return result!.messages.map((m) => m.ruleId);
}

test('a library importing a service, the suite or a path into services/ fails the lint', () => {
  const source = [
    "import { paymentFiles } from '@bfi/payment';",
    "import { ServiceProcess } from '@bfi/suite';",
    "import { loadRewardConfig } from '../../../services/reward/src/config';",
    'export const probe = [paymentFiles, ServiceProcess, loadRewardConfig];',
    '',
  ].join('\n');
  expect(lint(source)).toEqual([
    'no-restricted-imports',
    'no-restricted-imports',
    'no-restricted-imports',
  ]);
});

test('the same imports are fine in an app (the suite runs the services)', () => {
  const source =
    "import { paymentFiles } from '@bfi/payment';\nexport const probe = paymentFiles;\n";
  expect(lint(source, 'services/suite/src/probe.ts')).toEqual([]);
});

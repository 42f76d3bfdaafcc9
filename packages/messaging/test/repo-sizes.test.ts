// infra/sizes.mjs (`npm run sizes`): the list of files over 400 lines and functions over 60, run
// on a small tree written here so that the expected list is known.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runScript } from './repo-scripts';

/** A function declaration spanning exactly `lines` lines. */
function fn(name: string, lines: number): string {
  const body = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`);
  return [`export function ${name}(): void {`, ...body, '}'].join('\n');
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), `${text}\n`);
}

describe('infra/sizes.mjs', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bfi-sizes-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('lists the file over 400 lines and the function over 60, not those at the limits, and exits 1', async () => {
    write(root, 'services/a/src/at-limits.ts', `${fn('sixty', 60)}\n${'//\n'.repeat(339)}`);
    write(root, 'services/a/src/long.ts', `${fn('sixtyOne', 61)}\n${'//\n'.repeat(339)}`);
    // Generated code and fixtures are not ours to split; tests only with --tests.
    write(root, 'services/a/src/db/generated/client.ts', fn('generated', 500));
    write(root, 'packages/b/test/fixtures/big.ts', fn('fixture', 500));
    write(root, 'packages/b/test/long.test.ts', fn('longTest', 70));

    const { code, output } = await runScript('infra/sizes.mjs', ['--root', root]);

    expect(code).toBe(1);
    expect(output).toContain('Files over 400 lines (1):\n    401  services/a/src/long.ts\n');
    expect(output).toContain(
      'Functions over 60 lines (1):\n     61  services/a/src/long.ts:1  sixtyOne\n',
    );
    const withTests = await runScript('infra/sizes.mjs', ['--tests', '--root', root]);
    expect(withTests.output).toContain('     70  packages/b/test/long.test.ts:1  longTest\n');
  });

  test('exits 0 and says so when nothing is over the limits', async () => {
    write(root, 'infra/short.mjs', fn('short', 60));

    const { code, output } = await runScript('infra/sizes.mjs', ['--root', root]);

    expect(output).toContain('no file over 400 lines, no function over 60');
    expect(code).toBe(0);
  });
});

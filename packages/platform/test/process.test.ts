import { spawnSync } from 'node:child_process';
import path from 'node:path';

describe('process guard', () => {
  it('logs and counts an unhandled rejection and an uncaught exception instead of exiting', () => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'fixtures', 'stray-errors.ts')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('STILL RUNNING');
    expect(child.stdout).toContain('process_unhandled_errors_total{kind="unhandledRejection"} 1');
    expect(child.stdout).toContain('process_unhandled_errors_total{kind="uncaughtException"} 1');
    const logs = child.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } });
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 50,
          msg: expect.stringMatching(/unhandled promise rejection/),
          err: expect.objectContaining({ message: 'a promise nobody awaited' }),
        }),
        expect.objectContaining({
          level: 50,
          msg: expect.stringMatching(/uncaught exception/),
          err: expect.objectContaining({ message: 'a throw nobody caught' }),
        }),
      ]),
    );
  });
});

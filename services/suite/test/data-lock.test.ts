import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, lockDataDir } from '../src/data-lock';

// The data-folder lock must survive crashes correctly: a dead holder's lock is taken over, a
// live holder's never.
const dir = mkdtempSync(join(tmpdir(), 'bfi-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a folder held by a live process is refused with its pid; a SIGKILLed holder leaves a lock that is taken over', async () => {
  const folder = join(dir, 'crash');
  const holder = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require(${JSON.stringify(join(__dirname, '..', 'src', 'data-lock.ts'))}).lockDataDir(${JSON.stringify(folder)}); console.log('locked'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((done) => holder.stdout!.once('data', () => done()));

  expect(() => lockDataDir(folder)).toThrow(DataDirInUseError);
  expect(() => lockDataDir(folder)).toThrow(`pid ${holder.pid}`);

  holder.kill('SIGKILL'); // a crash: the lock file stays behind
  await new Promise((done) => holder.once('exit', done));
  expect(existsSync(join(folder, 'suite.lock'))).toBe(true);
  const lock = lockDataDir(folder);
  expect(JSON.parse(readFileSync(join(folder, 'suite.lock'), 'utf8')).pid).toBe(process.pid);
  lock.release();
  expect(existsSync(join(folder, 'suite.lock'))).toBe(false);
});

test('a lock whose pid now belongs to another process (pid reused after a crash) is taken over', () => {
  const folder = join(dir, 'reused');
  lockDataDir(folder).release();
  // Our own pid, but a start time that is not ours: the process that wrote it is gone.
  writeFileSync(join(folder, 'suite.lock'), JSON.stringify({ pid: process.pid, started: '1' }));
  const lock = lockDataDir(folder);
  lock.release();
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
  writeFileSync(
    join(folder, 'suite.lock'),
    JSON.stringify({ pid: Number(dead.stdout.toString()), started: null }),
  );
  lockDataDir(folder).release();
});

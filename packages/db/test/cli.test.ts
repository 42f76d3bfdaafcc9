import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkDrift } from '../src/drift';
import { LOCK_FILE_CONTENT } from '../src/migration-files';
import { createTestDatabase } from '../src/test-db';
import { copyFixture, SVC } from './helpers';

const CLI = path.join(__dirname, '..', 'src', 'cli.ts');

/** Runs the CLI as a developer would (tsx, outside Jest: the engine runs in-process there). */
function cli(args: string[], env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.JEST_WORKER_ID;
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const result = spawnSync(process.execPath, ['--import', tsx, CLI, ...args], {
    env: childEnv,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const migrationFolders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('cli', () => {
  it('migrate:new writes the first migration from empty, with lock file and snapshot', () => {
    const scratch = copyFixture(SVC);
    try {
      const migrations = path.join(scratch.dir, 'src', 'db', 'migrations');
      const fresh = path.join(scratch.dir, 'fresh');
      mkdirSync(path.join(fresh, 'src', 'db'), { recursive: true });
      const schema = readFileSync(path.join(scratch.dir, 'src', 'db', 'schema.prisma'), 'utf8');
      writeFileSync(path.join(fresh, 'src', 'db', 'schema.prisma'), schema);
      expect(existsSync(migrations)).toBe(true);

      const run = cli(['migrate:new', fresh, 'Init']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const freshMigrations = path.join(fresh, 'src', 'db', 'migrations');
      const [folder] = migrationFolders(freshMigrations);
      expect(folder).toMatch(/^\d{14}_init$/);
      expect(readFileSync(path.join(freshMigrations, folder!, 'migration.sql'), 'utf8')).toContain(
        'CREATE TABLE "accounts"',
      );
      expect(readFileSync(path.join(freshMigrations, 'migration_lock.toml'), 'utf8')).toBe(
        LOCK_FILE_CONTENT,
      );
      expect(readFileSync(path.join(freshMigrations, 'schema.snapshot.prisma'), 'utf8')).toBe(
        schema,
      );
    } finally {
      scratch.cleanup();
    }
  });

  it('migrate:new says "no changes", then diffs from the snapshot; deploy applies it; no drift after', async () => {
    const scratch = copyFixture(SVC);
    const migrations = path.join(scratch.dir, 'src', 'db', 'migrations');
    const db = await createTestDatabase({ prefix: 'bfi_db_cli' });
    try {
      const before = migrationFolders(migrations);
      expect(cli(['migrate:new', scratch.dir, 'nothing'])).toMatchObject({
        code: 0,
        stdout: 'no changes\n',
      });
      expect(migrationFolders(migrations)).toEqual(before);

      const schemaPath = path.join(scratch.dir, 'src', 'db', 'schema.prisma');
      const schema = readFileSync(schemaPath, 'utf8');
      writeFileSync(
        schemaPath,
        `${schema}\nmodel Pledge {\n  id     BigInt @id @default(autoincrement())\n  amount BigInt\n\n  @@map("pledges")\n}\n`,
      );
      const created = cli(['migrate:new', scratch.dir, 'add pledges']);
      expect(created.code).toBe(0);
      const added = migrationFolders(migrations).filter((name) => !before.includes(name));
      expect(added).toEqual([expect.stringMatching(/^\d{14}_add_pledges$/)]);
      const sql = readFileSync(path.join(migrations, added[0]!, 'migration.sql'), 'utf8');
      expect(sql).toContain('CREATE TABLE "pledges"');
      expect(sql).not.toContain('CREATE TABLE "accounts"');
      expect(readFileSync(path.join(migrations, 'schema.snapshot.prisma'), 'utf8')).toContain(
        'model Pledge',
      );

      const deploy = cli(['migrate:deploy', scratch.dir], { DATABASE_URL: db.url });
      expect(deploy.code).toBe(0);
      expect(deploy.stdout).toContain(added[0]);
      expect(cli(['migrate:deploy', scratch.dir], { DATABASE_URL: db.url }).stdout).toBe(
        'already up to date\n',
      );
      await expect(checkDrift(scratch.dir)).resolves.toEqual({ ok: true, diff: '' });
    } finally {
      await db.drop();
      scratch.cleanup();
    }
  });

  it('drift exits 1 with the difference; bad usage exits 2', () => {
    const drift = cli(['drift', path.join(__dirname, 'fixtures', 'svc-drift')]);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('display_name');
    expect(cli(['migrate:new']).code).toBe(2);
  });
});

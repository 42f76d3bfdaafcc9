// Drift check: do the committed migrations build the database schema.prisma describes?
// Builds one database from the migrations and one from schema.prisma (diff from empty), then
// compares their normalized schema dumps. Runs in every service's `npm test` (expectNoDrift).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { serviceLayout } from './layout';
import {
  diffEntries,
  dumpSchema,
  HAND_WRITTEN_TYPES,
  normalizeEntries,
  parseDump,
  type NormalizeOptions,
} from './pg-dump';
import { diffSql } from './schema-engine';
import { createTestDatabase, type TestDatabase } from './test-db';

export interface DriftOptions {
  /** pg_dump object types not compared. Default: HAND_WRITTEN_TYPES (functions, triggers, ...). */
  ignoreTypes?: readonly string[];
  /** CHECK constraints are not compared (Prisma cannot declare them). Default true. */
  ignoreCheckConstraints?: boolean;
}

export interface DriftResult {
  ok: boolean;
  /** '' when ok; otherwise the differing objects, `-` from migrations, `+` from schema.prisma. */
  diff: string;
}

export async function checkDrift(
  serviceDir: string,
  options: DriftOptions = {},
): Promise<DriftResult> {
  const layout = serviceLayout(serviceDir);
  const schema = await readFile(layout.schemaPath, 'utf8');
  const normalize: NormalizeOptions = {
    ignoreTypes: options.ignoreTypes ?? HAND_WRITTEN_TYPES,
    ignoreCheckConstraints: options.ignoreCheckConstraints ?? true,
  };
  const prefix = `drift_${path.basename(layout.serviceDir)}`;
  const created: TestDatabase[] = [];
  try {
    const fromMigrations = await createTestDatabase({
      prefix: `${prefix}_m`,
      migrationsDir: layout.migrationsDir,
    });
    created.push(fromMigrations);
    const fromSchema = await createTestDatabase({ prefix: `${prefix}_s` });
    created.push(fromSchema);
    await runScript(fromSchema.url, await diffSql({ toSchema: schema }));
    const [migrated, declared] = await Promise.all([
      dumpSchema(fromMigrations.url),
      dumpSchema(fromSchema.url),
    ]);
    const diff = diffEntries(
      normalizeEntries(parseDump(migrated), normalize),
      normalizeEntries(parseDump(declared), normalize),
      ['migrations', 'schema.prisma'],
    );
    return { ok: diff === '', diff };
  } finally {
    await Promise.all(created.map((db) => db.drop()));
  }
}

/**
 * For a service's Jest suite:
 *   it('migrations match schema.prisma', () => expectNoDrift(path.join(__dirname, '..')));
 * Throws with the differing objects, and the command that writes the missing migration.
 */
export async function expectNoDrift(serviceDir: string, options?: DriftOptions): Promise<void> {
  const result = await checkDrift(serviceDir, options);
  if (!result.ok) {
    throw new Error(
      `schema.prisma and the migrations in ${serviceLayout(serviceDir).migrationsDir} disagree ` +
        `(run: npx tsx packages/db/src/cli.ts migrate:new <serviceDir> <name>):\n${result.diff}`,
    );
  }
}

async function runScript(databaseUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// `migrate:new`: the offline stand-in for `prisma migrate dev --create-only`. The datamodel the
// committed migrations produce is kept next to them (schema.snapshot.prisma), so the next
// migration is the engine's diff from that snapshot to the current schema.prisma; no database.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { serviceLayout } from './layout';
import {
  listMigrations,
  LOCK_FILE,
  LOCK_FILE_CONTENT,
  MIGRATION_FILE,
  nextMigrationName,
} from './migration-files';
import { diffSql } from './schema-engine';

export interface NewMigration {
  name: string;
  sqlPath: string;
  sql: string;
}

export interface CreateMigrationOptions {
  /** Write a migration even when schema.prisma did not change, for hand-written SQL (triggers, ...). */
  empty?: boolean;
  now?: Date;
}

const EMPTY_MIGRATION =
  '-- Hand-written migration: SQL that schema.prisma cannot express (functions, triggers, CHECKs).\n';

/** Writes the next migration folder and updates the snapshot; null when nothing changed. */
export async function createMigration(
  serviceDir: string,
  name: string,
  options: CreateMigrationOptions = {},
): Promise<NewMigration | null> {
  const layout = serviceLayout(serviceDir);
  const schema = await readFile(layout.schemaPath, 'utf8');
  const existing = await listMigrations(layout.migrationsDir);
  const snapshot = existsSync(layout.snapshotPath)
    ? await readFile(layout.snapshotPath, 'utf8')
    : undefined;
  if (snapshot === undefined && existing.length > 0) {
    throw new Error(
      `${layout.snapshotPath} is missing but migrations exist; restore it (the datamodel the migrations produce) from git`,
    );
  }
  const diff = await diffSql({ fromSchema: snapshot, toSchema: schema });
  if (diff === '' && !options.empty) return null;
  const sql = diff === '' ? EMPTY_MIGRATION : diff;
  const folder = nextMigrationName(
    existing.map((migration) => migration.name),
    name,
    options.now ?? new Date(),
  );
  const sqlPath = path.join(layout.migrationsDir, folder, MIGRATION_FILE);
  await mkdir(path.dirname(sqlPath), { recursive: true });
  await writeFile(sqlPath, sql);
  const lockPath = path.join(layout.migrationsDir, LOCK_FILE);
  if (!existsSync(lockPath)) await writeFile(lockPath, LOCK_FILE_CONTENT);
  await writeFile(layout.snapshotPath, schema);
  return { name: folder, sqlPath, sql };
}

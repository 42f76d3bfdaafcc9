import path from 'node:path';

/** Where a service keeps its Prisma files (the convention every service follows). */
export interface ServiceLayout {
  serviceDir: string;
  schemaPath: string;
  migrationsDir: string;
  /** Datamodel the committed migrations produce; `migrate:new` diffs from it. */
  snapshotPath: string;
}

export const SNAPSHOT_FILE = 'schema.snapshot.prisma';

export function serviceLayout(serviceDir: string): ServiceLayout {
  const root = path.resolve(serviceDir);
  const migrationsDir = path.join(root, 'src', 'db', 'migrations');
  return {
    serviceDir: root,
    schemaPath: path.join(root, 'src', 'db', 'schema.prisma'),
    migrationsDir,
    snapshotPath: path.join(migrationsDir, SNAPSHOT_FILE),
  };
}

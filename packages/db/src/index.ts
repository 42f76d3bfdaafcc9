export { diffSql, type DiffInput } from './schema-engine';
export { applyMigrations } from './migrate';
export { checksumOf, LOCK_FILE_CONTENT, type MigrationFile } from './migration-files';
export {
  adminUrl,
  createTestDatabase,
  databaseUrlFor,
  dropDatabase,
  DEFAULT_PG_ADMIN_URL,
  type TestDatabase,
} from './test-db';
export { checkDrift, expectNoDrift, type DriftOptions, type DriftResult } from './drift';
export { HAND_WRITTEN_TYPES } from './pg-dump';
export { createPrisma, type PrismaClientClass, type PrismaPoolOptions } from './prisma';

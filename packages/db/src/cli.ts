// Offline Prisma migration commands (the native schema engine behind `prisma migrate` is not
// available here). Run from the repo root:
//   npx tsx packages/db/src/cli.ts migrate:new <serviceDir> <name> [--empty]
//                                              write the next migration (--empty: for hand-written SQL)
//   npx tsx packages/db/src/cli.ts migrate:deploy <serviceDir>       apply to $DATABASE_URL
//   npx tsx packages/db/src/cli.ts drift <serviceDir>                migrations vs schema.prisma
import { checkDrift } from './drift';
import { serviceLayout } from './layout';
import { applyMigrations } from './migrate';
import { createMigration } from './migrate-new';

const USAGE = `usage:
  cli.ts migrate:new <serviceDir> <name> [--empty]
  cli.ts migrate:deploy <serviceDir>      (env DATABASE_URL)
  cli.ts drift <serviceDir>               (env PG_ADMIN_URL)`;

async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const [command, serviceDir, name] = argv.filter((arg) => !arg.startsWith('--'));
  if (command === 'migrate:new' && serviceDir && name)
    return migrateNew(serviceDir, name, flags.includes('--empty'));
  if (command === 'migrate:deploy' && serviceDir) return migrateDeploy(serviceDir);
  if (command === 'drift' && serviceDir) return drift(serviceDir);
  console.error(USAGE);
  return 2;
}

async function migrateNew(serviceDir: string, name: string, empty: boolean): Promise<number> {
  const created = await createMigration(serviceDir, name, { empty });
  if (created === null) console.log('no changes');
  else console.log(`created ${created.sqlPath}\n\n${created.sql}`);
  return 0;
}

async function migrateDeploy(serviceDir: string): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    return 2;
  }
  const { applied } = await applyMigrations(url, serviceLayout(serviceDir).migrationsDir);
  console.log(applied.length === 0 ? 'already up to date' : `applied:\n  ${applied.join('\n  ')}`);
  return 0;
}

async function drift(serviceDir: string): Promise<number> {
  const result = await checkDrift(serviceDir);
  if (result.ok) {
    console.log('no drift: the migrations produce exactly what schema.prisma declares');
    return 0;
  }
  console.error(`drift between migrations and schema.prisma:\n${result.diff}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

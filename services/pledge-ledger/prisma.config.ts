import { defineConfig } from 'prisma/config';

// Used by `prisma generate` (and `prisma migrate deploy` where the native engine exists).
export default defineConfig({
  schema: 'src/db/schema.prisma',
  migrations: { path: 'src/db/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pledge_ledger',
  },
});

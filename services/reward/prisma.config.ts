import { defineConfig } from 'prisma/config';

// Used by `npm run generate` only; migrations are written and applied by @bfi/db (offline).
export default defineConfig({
  schema: 'src/db/schema.prisma',
  migrations: { path: 'src/db/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});

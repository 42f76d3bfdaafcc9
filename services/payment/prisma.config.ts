import { defineConfig } from 'prisma/config';

// Only `prisma generate` reads this; migrations are written offline with @bfi/db's CLI.
export default defineConfig({
  schema: 'src/db/schema.prisma',
  migrations: { path: 'src/db/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});

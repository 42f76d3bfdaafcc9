// One-line Prisma wiring for services:
//   const prisma = createPrisma(PrismaClient, process.env.DATABASE_URL!);   // from src/db/generated/client
//   ...
//   await prisma.$disconnect();   // closes the adapter's pg pool; do it on shutdown / in afterAll
import { PrismaPg } from '@prisma/adapter-pg';

export interface PrismaPoolOptions {
  /** Pool size (pg default: 10). */
  max?: number;
  /** PostgreSQL schema for generated queries (default: the connection's, i.e. public). */
  schema?: string;
}

/** Any generated `prisma-client` PrismaClient class: its constructor takes `{ adapter }`. */
export type PrismaClientClass<T> = new (options: { adapter: PrismaPg }) => T;

/** A Prisma client talking to `connectionString` through @prisma/adapter-pg (its own pg pool). */
export function createPrisma<T>(
  PrismaClient: PrismaClientClass<T>,
  connectionString: string,
  options: PrismaPoolOptions = {},
): T {
  const pool =
    options.max === undefined ? { connectionString } : { connectionString, max: options.max };
  const adapter = new PrismaPg(
    pool,
    options.schema === undefined ? undefined : { schema: options.schema },
  );
  return new PrismaClient({ adapter });
}

// Proves the generated `prisma-client` (moduleFormat cjs, extensionless imports) runs under
// Jest + @swc/jest and talks to PostgreSQL through @prisma/adapter-pg via createPrisma.
import { register } from 'prom-client';
import { createPrisma } from '../src/prisma';
import { createTestDatabase, type TestDatabase } from '../src/test-db';
import { Prisma, PrismaClient } from './generated/svc/client';
import { SVC_MIGRATIONS } from './helpers';

describe('generated Prisma client for the fixture', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'bfi_db_client', migrationsDir: SVC_MIGRATIONS });
    prisma = createPrisma(PrismaClient, db.url, { max: 2 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('inserts and reads rows, BigInt beyond 2^53 intact', async () => {
    const big = 2n ** 62n + 1n;
    const account = await prisma.account.create({
      data: {
        email: 'donor@example.org',
        entries: { create: [{ amountMinor: big, note: 'first' }] },
      },
    });
    const read = await prisma.account.findUniqueOrThrow({
      where: { email: 'donor@example.org' },
      include: { entries: true },
    });
    expect(read.id).toBe(account.id);
    expect(read.entries).toHaveLength(1);
    expect(read.entries[0]).toMatchObject({
      amountMinor: big,
      currency: 'BYN',
      note: 'first',
      accountId: account.id,
    });
    expect(typeof read.entries[0]!.id).toBe('bigint');
  });

  it('surfaces constraint violations and trigger errors as Prisma errors', async () => {
    const duplicate = prisma.account.create({ data: { email: 'donor@example.org' } });
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(
      prisma.account.create({ data: { email: 'donor@example.org' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await expect(prisma.entry.updateMany({ data: { note: 'rewritten' } })).rejects.toThrow(
      /append-only/,
    );
  });

  it('counts every statement it sends (db_statements_total), a transaction with its BEGIN and COMMIT', async () => {
    const counted = async () =>
      (await register.getSingleMetricAsString('db_statements_total')).match(
        /^db_statements_total (\d+)$/m,
      )?.[1];
    const before = Number(await counted());
    await prisma.$queryRawUnsafe('SELECT 1');
    await prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe('SELECT 2');
      await tx.$queryRawUnsafe('SELECT 3');
    });
    // 1 + BEGIN + 2 + COMMIT
    expect(Number(await counted()) - before).toBe(5);
  });
});

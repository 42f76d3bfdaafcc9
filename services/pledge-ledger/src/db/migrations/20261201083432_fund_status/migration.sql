-- AlterTable
ALTER TABLE "fund" ADD COLUMN     "published_version" INTEGER,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'open',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- Hand-written (outside Prisma's model, like the other CHECKs): the two states a fund can be in.
ALTER TABLE "fund" ADD CONSTRAINT "fund_status_check" CHECK ("status" IN ('open', 'closed'));

-- AlterTable
ALTER TABLE "provider_payment" ADD COLUMN     "checkout_started_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "fund" (
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "restricted" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fund_pkey" PRIMARY KEY ("slug")
);

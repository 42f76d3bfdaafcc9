-- AlterTable
ALTER TABLE "ledger_donation" ADD COLUMN     "installment" INTEGER,
ADD COLUMN     "subscription_id" UUID;

-- CreateTable
CREATE TABLE "ledger_subscription" (
    "id" UUID NOT NULL,
    "fund" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_donation_subscription_id_idx" ON "ledger_donation"("subscription_id");

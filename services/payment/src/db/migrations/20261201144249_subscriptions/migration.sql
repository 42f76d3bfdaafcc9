-- AlterTable
ALTER TABLE "donation" ADD COLUMN     "installment" INTEGER,
ADD COLUMN     "subscription_id" UUID;

-- AlterTable
ALTER TABLE "provider_payment" ADD COLUMN     "invoice_id" TEXT,
ADD COLUMN     "sale_id" TEXT;

-- CreateTable
CREATE TABLE "subscription" (
    "id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "fund" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "office_id" TEXT,
    "donor_name" TEXT,
    "donor_email" TEXT,
    "locale" TEXT,
    "provider_subscription_id" TEXT,
    "provider_customer_id" TEXT,
    "provider_plan_id" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "next_charge_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "subscription_provider_subscription_id_key" ON "subscription"("provider_subscription_id");

-- CreateIndex
CREATE UNIQUE INDEX "donation_subscription_id_installment_key" ON "donation"("subscription_id", "installment");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_invoice_id_key" ON "provider_payment"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_payment_sale_id_key" ON "provider_payment"("sale_id");

-- AddForeignKey
ALTER TABLE "donation" ADD CONSTRAINT "donation_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscription"("id") ON DELETE SET NULL ON UPDATE CASCADE;

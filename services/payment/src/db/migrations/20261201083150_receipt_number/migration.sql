-- AlterTable
ALTER TABLE "donation" ADD COLUMN     "receipt_issued_at" TIMESTAMPTZ(3),
ADD COLUMN     "receipt_number" TEXT;

-- CreateTable
CREATE TABLE "receipt_counter" (
    "campaign" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "receipt_counter_pkey" PRIMARY KEY ("campaign","year")
);

-- CreateIndex
CREATE UNIQUE INDEX "donation_receipt_number_key" ON "donation"("receipt_number");

-- AlterTable
ALTER TABLE "donation" ADD COLUMN     "locale" TEXT;

-- CreateTable
CREATE TABLE "receipt_mail" (
    "donation_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_code" INTEGER,
    "message_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "receipt_mail_pkey" PRIMARY KEY ("donation_id")
);

-- CreateIndex
CREATE INDEX "receipt_mail_status_next_attempt_at_idx" ON "receipt_mail"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "receipt_mail" ADD CONSTRAINT "receipt_mail_donation_id_fkey" FOREIGN KEY ("donation_id") REFERENCES "donation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

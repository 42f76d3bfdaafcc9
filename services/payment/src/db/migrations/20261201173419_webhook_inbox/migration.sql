-- AlterTable
ALTER TABLE "webhook_delivery" ADD COLUMN     "applied_at" TIMESTAMPTZ(3),
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "claimed_until" TIMESTAMPTZ(3),
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'received';

-- CreateIndex
CREATE INDEX "webhook_delivery_state_next_attempt_at_idx" ON "webhook_delivery"("state", "next_attempt_at");

-- Deliveries stored before the inbox were applied in the request that stored them.
UPDATE "webhook_delivery"
SET "state" = CASE WHEN "outcome" LIKE 'ignored%' THEN 'ignored' ELSE 'applied' END,
    "applied_at" = "received_at";

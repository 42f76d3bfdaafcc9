-- CreateIndex
CREATE INDEX "donation_updated_at_idx" ON "donation"("updated_at");

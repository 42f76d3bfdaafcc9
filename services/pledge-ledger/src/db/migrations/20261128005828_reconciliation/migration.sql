-- CreateTable
CREATE TABLE "statement_line" (
    "id" BIGSERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "source_ref" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "gross_minor" BIGINT NOT NULL,
    "fee_minor" BIGINT NOT NULL,
    "net_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "available_on" TIMESTAMPTZ(3),
    "payout_id" TEXT,
    "description" TEXT,
    "import_id" UUID NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statement_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_payout" (
    "provider" TEXT NOT NULL,
    "payout_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "arrival_date" TIMESTAMPTZ(3) NOT NULL,
    "import_id" UUID NOT NULL,

    CONSTRAINT "provider_payout_pkey" PRIMARY KEY ("provider","payout_id")
);

-- CreateTable
CREATE TABLE "statement_import" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "inserted" INTEGER NOT NULL,
    "unchanged" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statement_import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_run" (
    "id" UUID NOT NULL,
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "provider" TEXT,
    "status" TEXT NOT NULL,
    "summary" TEXT,
    "error" TEXT,
    "created_by" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "reconciliation_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_line" (
    "run_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "statement_currency" TEXT,
    "statement_gross" BIGINT,
    "statement_fee" BIGINT,
    "statement_net" BIGINT,
    "statement_refs" TEXT,
    "ledger_currency" TEXT,
    "ledger_gross" BIGINT,
    "ledger_fee" BIGINT,
    "ledger_entries" INTEGER NOT NULL DEFAULT 0,
    "fund" TEXT,
    "payout_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3),
    "detail" TEXT NOT NULL,

    CONSTRAINT "reconciliation_line_pkey" PRIMARY KEY ("run_id","line_no")
);

-- CreateTable
CREATE TABLE "discrepancy_resolution" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "correction_entry_id" UUID,
    "resolved_by" TEXT NOT NULL,
    "resolved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "discrepancy_resolution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_correction" (
    "entry_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "ref" TEXT NOT NULL,

    CONSTRAINT "ledger_correction_pkey" PRIMARY KEY ("entry_id")
);

-- CreateIndex
CREATE INDEX "statement_line_created_at_idx" ON "statement_line"("created_at");

-- CreateIndex
CREATE INDEX "statement_line_provider_source_ref_idx" ON "statement_line"("provider", "source_ref");

-- CreateIndex
CREATE INDEX "statement_line_payout_id_idx" ON "statement_line"("payout_id");

-- CreateIndex
CREATE UNIQUE INDEX "statement_line_provider_reference_key" ON "statement_line"("provider", "reference");

-- CreateIndex
CREATE INDEX "provider_payout_arrival_date_idx" ON "provider_payout"("arrival_date");

-- CreateIndex
CREATE INDEX "reconciliation_run_period_from_period_to_idx" ON "reconciliation_run"("period_from", "period_to");

-- CreateIndex
CREATE INDEX "reconciliation_line_run_id_status_idx" ON "reconciliation_line"("run_id", "status");

-- CreateIndex
CREATE INDEX "discrepancy_resolution_run_id_line_no_idx" ON "discrepancy_resolution"("run_id", "line_no");

-- CreateIndex
CREATE INDEX "ledger_correction_provider_ref_idx" ON "ledger_correction"("provider", "ref");

-- AddForeignKey
ALTER TABLE "reconciliation_line" ADD CONSTRAINT "reconciliation_line_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "reconciliation_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

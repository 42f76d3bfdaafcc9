-- CreateTable
CREATE TABLE "reconciliation_progress" (
    "run_id" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "processed" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconciliation_progress_pkey" PRIMARY KEY ("run_id")
);

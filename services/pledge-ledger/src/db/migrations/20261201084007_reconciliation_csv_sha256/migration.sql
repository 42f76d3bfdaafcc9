-- AlterTable
ALTER TABLE "reconciliation_run" ADD COLUMN     "csv_sha256" TEXT;

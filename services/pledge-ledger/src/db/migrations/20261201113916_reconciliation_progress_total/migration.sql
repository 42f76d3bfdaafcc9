-- AlterTable
ALTER TABLE "reconciliation_progress" ADD COLUMN     "total" INTEGER;

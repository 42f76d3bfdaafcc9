-- AlterTable
ALTER TABLE "statement_import" ADD COLUMN     "conflicting" INTEGER NOT NULL DEFAULT 0;

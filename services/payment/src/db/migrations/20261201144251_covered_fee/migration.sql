-- AlterTable
ALTER TABLE "donation" ADD COLUMN     "covered_fee_minor" BIGINT;

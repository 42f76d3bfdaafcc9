-- AlterTable
ALTER TABLE "donation" ADD COLUMN     "donor_secret_hash" TEXT;

-- AlterTable
ALTER TABLE "reward" ADD COLUMN     "donor_secret_hash" TEXT;

-- AlterTable
ALTER TABLE "donation" ADD COLUMN     "office_name" TEXT;

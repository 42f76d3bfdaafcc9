-- AlterTable
ALTER TABLE "parked_event" ADD COLUMN     "refused_at" TIMESTAMPTZ(3);

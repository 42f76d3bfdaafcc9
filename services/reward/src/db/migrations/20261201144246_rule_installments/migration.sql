-- AlterTable
ALTER TABLE "reward_rule" ADD COLUMN     "installments_up_to" INTEGER DEFAULT 1;

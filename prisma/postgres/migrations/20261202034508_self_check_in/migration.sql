-- AlterTable
ALTER TABLE "CouncilSession" ADD COLUMN     "selfCheckIn" BOOLEAN NOT NULL DEFAULT false;


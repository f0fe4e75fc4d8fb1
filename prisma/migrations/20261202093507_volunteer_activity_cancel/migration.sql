-- AlterTable
ALTER TABLE "VolunteerActivity" ADD COLUMN "cancelReason" TEXT;
ALTER TABLE "VolunteerActivity" ADD COLUMN "cancelledAt" DATETIME;
ALTER TABLE "VolunteerActivity" ADD COLUMN "cancelledById" TEXT;

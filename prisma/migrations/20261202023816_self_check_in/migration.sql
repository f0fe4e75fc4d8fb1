-- Hybrid sessions: the chair may let members who are not in the room check themselves in.
ALTER TABLE "CouncilSession" ADD COLUMN "selfCheckIn" BOOLEAN NOT NULL DEFAULT false;

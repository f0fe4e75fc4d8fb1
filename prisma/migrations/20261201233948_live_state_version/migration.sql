-- Counts changes to a session's live state (shared by every process), replacing the wall-clock version.
ALTER TABLE "CouncilSession" ADD COLUMN "stateVersion" INTEGER NOT NULL DEFAULT 0;

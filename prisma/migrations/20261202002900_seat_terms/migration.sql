-- Seats get terms and history (issue 11): unseating ends a term instead of deleting the row.
ALTER TABLE "CouncilSeat" ADD COLUMN "endedAt" DATETIME;
ALTER TABLE "CouncilSeat" ADD COLUMN "current" BOOLEAN DEFAULT true;

-- One current seat per person and council; ended terms (current NULL) never collide.
DROP INDEX "CouncilSeat_councilId_userId_key";
CREATE UNIQUE INDEX "CouncilSeat_councilId_userId_current_key" ON "CouncilSeat"("councilId", "userId", "current");
CREATE INDEX "CouncilSeat_councilId_seatedAt_idx" ON "CouncilSeat"("councilId", "seatedAt");

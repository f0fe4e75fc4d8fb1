/*
  Warnings:

  - You are about to alter the column `seq` on the `Ballot` table. The data in that column could be lost. The data in that column will be cast from `Int` to `BigInt`.

*/
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ballot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "motionId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "constituency" TEXT NOT NULL,
    "clientBallotId" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "castById" TEXT,
    "proxy" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Ballot_motionId_fkey" FOREIGN KEY ("motionId") REFERENCES "Motion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Ballot" ("castById", "choice", "clientBallotId", "constituency", "id", "motionId", "proxy", "seq", "voterKey") SELECT "castById", "choice", "clientBallotId", "constituency", "id", "motionId", "proxy", "seq", "voterKey" FROM "Ballot";
DROP TABLE "Ballot";
ALTER TABLE "new_Ballot" RENAME TO "Ballot";
CREATE UNIQUE INDEX "Ballot_motionId_voterKey_key" ON "Ballot"("motionId", "voterKey");
CREATE UNIQUE INDEX "Ballot_motionId_clientBallotId_key" ON "Ballot"("motionId", "clientBallotId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

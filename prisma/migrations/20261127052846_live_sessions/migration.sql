-- AlterTable
ALTER TABLE "AgendaItem" ADD COLUMN "resolutionMotionId" TEXT;
ALTER TABLE "AgendaItem" ADD COLUMN "resolutionText" TEXT;
ALTER TABLE "AgendaItem" ADD COLUMN "resolvedAt" DATETIME;

-- CreateTable
CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "constituency" TEXT,
    "method" TEXT NOT NULL,
    "checkedInAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attendance_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CouncilSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HandRaise" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "raisedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "loweredAt" DATETIME,
    CONSTRAINT "HandRaise_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CouncilSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProxyAuthorization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "grantorId" TEXT NOT NULL,
    "proxyId" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "ProxyAuthorization_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CouncilSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Motion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "agendaItemId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "proposerId" TEXT NOT NULL,
    "seconderId" TEXT,
    "options" TEXT NOT NULL,
    "ballot" TEXT NOT NULL,
    "passRule" TEXT NOT NULL,
    "constituencies" TEXT NOT NULL DEFAULT '[]',
    "hideResults" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "secretKey" TEXT,
    "openedAt" DATETIME,
    "closedAt" DATETIME,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Motion_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CouncilSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Motion_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ballot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "motionId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "constituency" TEXT NOT NULL,
    "clientBallotId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "castById" TEXT,
    "proxy" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Ballot_motionId_fkey" FOREIGN KEY ("motionId") REFERENCES "Motion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BallotReceipt" (
    "motionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("motionId", "userId"),
    CONSTRAINT "BallotReceipt_motionId_fkey" FOREIGN KEY ("motionId") REFERENCES "Motion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Council" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "quorumRatio" REAL NOT NULL DEFAULT 0.5,
    "quorumInclusive" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Council_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Council" ("communityId", "createdAt", "id", "name", "quorumRatio") SELECT "communityId", "createdAt", "id", "name", "quorumRatio" FROM "Council";
DROP TABLE "Council";
ALTER TABLE "new_Council" RENAME TO "Council";
CREATE TABLE "new_CouncilSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "councilId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "scheduledAt" DATETIME NOT NULL,
    "place" TEXT NOT NULL DEFAULT '',
    "mode" TEXT NOT NULL DEFAULT 'inPerson',
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "chairId" TEXT,
    "secretaryId" TEXT,
    "publishedAt" DATETIME,
    "openedAt" DATETIME,
    "adjournedAt" DATETIME,
    "currentItemId" TEXT,
    "itemOpenedAt" DATETIME,
    "floorUserId" TEXT,
    "floorSince" DATETIME,
    "speakerLimitSec" INTEGER NOT NULL DEFAULT 180,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CouncilSession_councilId_fkey" FOREIGN KEY ("councilId") REFERENCES "Council" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CouncilSession" ("chairId", "councilId", "createdAt", "id", "mode", "place", "publishedAt", "scheduledAt", "secretaryId", "status", "title") SELECT "chairId", "councilId", "createdAt", "id", "mode", "place", "publishedAt", "scheduledAt", "secretaryId", "status", "title" FROM "CouncilSession";
DROP TABLE "CouncilSession";
ALTER TABLE "new_CouncilSession" RENAME TO "CouncilSession";
CREATE INDEX "CouncilSession_councilId_scheduledAt_idx" ON "CouncilSession"("councilId", "scheduledAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_sessionId_userId_key" ON "Attendance"("sessionId", "userId");

-- CreateIndex
CREATE INDEX "HandRaise_sessionId_loweredAt_raisedAt_idx" ON "HandRaise"("sessionId", "loweredAt", "raisedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProxyAuthorization_sessionId_grantorId_key" ON "ProxyAuthorization"("sessionId", "grantorId");

-- CreateIndex
CREATE INDEX "Motion_sessionId_status_idx" ON "Motion"("sessionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_motionId_voterKey_key" ON "Ballot"("motionId", "voterKey");

-- CreateIndex
CREATE UNIQUE INDEX "Ballot_motionId_clientBallotId_key" ON "Ballot"("motionId", "clientBallotId");

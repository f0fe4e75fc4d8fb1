-- AlterTable
ALTER TABLE "Invite" ADD COLUMN "buildingId" TEXT;
ALTER TABLE "Invite" ADD COLUMN "gridId" TEXT;
ALTER TABLE "Invite" ADD COLUMN "householdId" TEXT;
ALTER TABLE "Invite" ADD COLUMN "unitId" TEXT;

-- CreateTable
CREATE TABLE "RosterUpload" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ActivationLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "ActivationLink_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RosterUpload_expiresAt_idx" ON "RosterUpload"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ActivationLink_tokenHash_key" ON "ActivationLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ActivationLink_userId_idx" ON "ActivationLink"("userId");

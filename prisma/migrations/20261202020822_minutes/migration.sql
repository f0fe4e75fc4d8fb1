-- CreateTable
CREATE TABLE "Minutes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "reviewEndsAt" DATETIME,
    "approvedById" TEXT,
    "approvedAt" DATETIME,
    "correctionReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Minutes_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "CouncilSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MinutesVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "minutesId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "metadata" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "previousHash" TEXT,
    "correctionReason" TEXT,
    "publishedById" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    "noticeFrom" DATETIME NOT NULL,
    "noticeTo" DATETIME NOT NULL,
    CONSTRAINT "MinutesVersion_minutesId_fkey" FOREIGN KEY ("minutesId") REFERENCES "Minutes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MinutesComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "minutesId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "quote" TEXT NOT NULL,
    "anchor" TEXT NOT NULL DEFAULT '{}',
    "body" TEXT NOT NULL,
    "resolvedAt" DATETIME,
    "resolvedById" TEXT,
    "resolution" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MinutesComment_minutesId_fkey" FOREIGN KEY ("minutesId") REFERENCES "Minutes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MinutesEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "minutesId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MinutesEvent_minutesId_fkey" FOREIGN KEY ("minutesId") REFERENCES "Minutes" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Objection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "answer" TEXT,
    "answeredById" TEXT,
    "answeredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Objection_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "MinutesVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Minutes_sessionId_key" ON "Minutes"("sessionId");

-- CreateIndex
CREATE INDEX "MinutesVersion_noticeFrom_idx" ON "MinutesVersion"("noticeFrom");

-- CreateIndex
CREATE UNIQUE INDEX "MinutesVersion_minutesId_version_key" ON "MinutesVersion"("minutesId", "version");

-- CreateIndex
CREATE INDEX "MinutesComment_minutesId_createdAt_idx" ON "MinutesComment"("minutesId", "createdAt");

-- CreateIndex
CREATE INDEX "MinutesEvent_minutesId_createdAt_idx" ON "MinutesEvent"("minutesId", "createdAt");

-- CreateIndex
CREATE INDEX "Objection_versionId_createdAt_idx" ON "Objection"("versionId", "createdAt");

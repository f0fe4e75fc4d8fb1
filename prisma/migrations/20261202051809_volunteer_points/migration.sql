-- CreateTable
CREATE TABLE "VolunteerRules" (
    "communityId" TEXT NOT NULL PRIMARY KEY,
    "pointsMode" TEXT NOT NULL DEFAULT 'perHour',
    "pointsPerUnit" INTEGER NOT NULL DEFAULT 10,
    "yearlyCap" INTEGER NOT NULL DEFAULT 0,
    "expiryMonths" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "VolunteerTeam" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archivedAt" DATETIME
);

-- CreateTable
CREATE TABLE "VolunteerTeamMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    CONSTRAINT "VolunteerTeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "VolunteerTeam" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VolunteerActivity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "placeId" TEXT,
    "placeName" TEXT NOT NULL DEFAULT '',
    "gridId" TEXT,
    "buildingId" TEXT,
    "unitId" TEXT,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "capacity" INTEGER NOT NULL,
    "pointsMode" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VolunteerActivity_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "VolunteerTeam" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VolunteerSignup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "activityId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedInAt" DATETIME,
    "checkedOutAt" DATETIME,
    "minutesServed" INTEGER,
    "confirmedAt" DATETIME,
    "confirmedById" TEXT,
    "transactionId" TEXT,
    CONSTRAINT "VolunteerSignup_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "VolunteerActivity" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PointAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "PointTransaction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "memo" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reversesId" TEXT
);

-- CreateTable
CREATE TABLE "PointEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "transactionId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gridId" TEXT,
    CONSTRAINT "PointEntry_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "PointTransaction" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PointEntry_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "PointAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MerchantOffer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RedemptionCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codeId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "transactionId" TEXT NOT NULL,
    "settledById" TEXT NOT NULL,
    "scannedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Redemption_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "RedemptionCode" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerTeam_communityId_name_key" ON "VolunteerTeam"("communityId", "name");

-- CreateIndex
CREATE INDEX "VolunteerTeamMember_userId_idx" ON "VolunteerTeamMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerTeamMember_teamId_userId_key" ON "VolunteerTeamMember"("teamId", "userId");

-- CreateIndex
CREATE INDEX "VolunteerActivity_communityId_startsAt_idx" ON "VolunteerActivity"("communityId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerSignup_transactionId_key" ON "VolunteerSignup"("transactionId");

-- CreateIndex
CREATE INDEX "VolunteerSignup_userId_idx" ON "VolunteerSignup"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerSignup_activityId_userId_key" ON "VolunteerSignup"("activityId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "PointAccount_communityId_kind_ownerId_key" ON "PointAccount"("communityId", "kind", "ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "PointTransaction_reversesId_key" ON "PointTransaction"("reversesId");

-- CreateIndex
CREATE INDEX "PointTransaction_communityId_createdAt_idx" ON "PointTransaction"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "PointEntry_transactionId_idx" ON "PointEntry"("transactionId");

-- CreateIndex
CREATE UNIQUE INDEX "PointEntry_accountId_seq_key" ON "PointEntry"("accountId", "seq");

-- CreateIndex
CREATE INDEX "MerchantOffer_organizationId_idx" ON "MerchantOffer"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "RedemptionCode_code_key" ON "RedemptionCode"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_codeId_key" ON "Redemption"("codeId");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_transactionId_key" ON "Redemption"("transactionId");

-- CreateIndex
CREATE INDEX "Redemption_organizationId_createdAt_idx" ON "Redemption"("organizationId", "createdAt");

-- CreateTable
CREATE TABLE "ScheduledJob" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "dueAt" DATETIME NOT NULL,
    "lastRunAt" DATETIME,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "runner" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "ok" BOOLEAN,
    "detail" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "ReminderSent" (
    "taskId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("taskId", "kind")
);

-- CreateTable
CREATE TABLE "MetricSnapshot" (
    "communityId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL,

    PRIMARY KEY ("communityId", "month")
);

-- CreateTable
CREATE TABLE "ScorecardWeights" (
    "district" TEXT NOT NULL PRIMARY KEY,
    "weights" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- CreateTable
CREATE TABLE "DashboardSetting" (
    "communityId" TEXT NOT NULL PRIMARY KEY,
    "residentsSeeScorecards" BOOLEAN NOT NULL DEFAULT false,
    "publicHeadline" BOOLEAN NOT NULL DEFAULT false
);

-- CreateIndex
CREATE INDEX "JobRun_job_startedAt_idx" ON "JobRun"("job", "startedAt");

-- CreateIndex
CREATE INDEX "JobRun_startedAt_idx" ON "JobRun"("startedAt");

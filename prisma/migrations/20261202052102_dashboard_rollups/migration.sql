-- MetricSnapshot held derived figures only (JSON per community and month); MetricRollup replaces it
-- with one row per month and dimension, summable in SQL. The scheduler's roll-up job refills it.
-- DropTable
DROP TABLE "MetricSnapshot";

-- CreateTable
CREATE TABLE "MetricRollup" (
    "communityId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "rules" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL,
    "topicsRaised" INTEGER NOT NULL,
    "topicsAccepted" INTEGER NOT NULL,
    "topicsAnsweredAtOnce" INTEGER NOT NULL,
    "topicsDeliberated" INTEGER NOT NULL,
    "tasksOpened" INTEGER NOT NULL,
    "tasksResponseJudged" INTEGER NOT NULL,
    "tasksRespondedInTime" INTEGER NOT NULL,
    "tasksClosed" INTEGER NOT NULL,
    "tasksClosedOnTime" INTEGER NOT NULL,
    "tasksDue" INTEGER NOT NULL,
    "tasksDueClosed" INTEGER NOT NULL,
    "tasksOverdue" INTEGER NOT NULL,
    "tasksReopened" INTEGER NOT NULL,
    "tasksHandedOver" INTEGER NOT NULL,
    "verdicts" INTEGER NOT NULL,
    "verdictsSolved" INTEGER NOT NULL,
    "ratings" INTEGER NOT NULL,
    "ratingsSatisfied" INTEGER NOT NULL,
    "ratingSum" INTEGER NOT NULL,
    "closeDaysSum" REAL NOT NULL,

    PRIMARY KEY ("communityId", "month", "dimension", "key")
);

-- CreateIndex
CREATE INDEX "MetricRollup_month_dimension_idx" ON "MetricRollup"("month", "dimension");

-- CreateIndex
CREATE INDEX "Task_updatedAt_idx" ON "Task"("updatedAt");

-- CreateIndex
CREATE INDEX "TaskEvent_createdAt_idx" ON "TaskEvent"("createdAt");

-- CreateIndex
CREATE INDEX "TaskVerification_updatedAt_idx" ON "TaskVerification"("updatedAt");

-- CreateIndex
CREATE INDEX "Topic_updatedAt_idx" ON "Topic"("updatedAt");

-- CreateIndex
CREATE INDEX "TopicEvent_createdAt_idx" ON "TopicEvent"("createdAt");

-- CreateIndex
CREATE INDEX "Task_createdAt_idx" ON "Task"("createdAt");

-- CreateIndex
CREATE INDEX "Task_closedAt_idx" ON "Task"("closedAt");

-- Members deactivated per community without losing their history (issue 11).
ALTER TABLE "Membership" ADD COLUMN "deactivatedAt" DATETIME;

-- The append-only audit log of roles, seats and settings.
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subjectId" TEXT,
    "subjectName" TEXT,
    "before" TEXT NOT NULL DEFAULT 'null',
    "after" TEXT NOT NULL DEFAULT 'null',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX "AuditEntry_communityId_createdAt_idx" ON "AuditEntry"("communityId", "createdAt");

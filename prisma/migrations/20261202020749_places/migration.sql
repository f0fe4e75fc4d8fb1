-- Places, organisations, constituency places and the district super-user (issue 11).
-- Columns are added with ALTER TABLE (SQLite accepts REFERENCES on a column added with a NULL
-- default), so no existing table is rebuilt.

-- Archived places leave pickers but keep their rows; merged ones also point at their target.
ALTER TABLE "Grid" ADD COLUMN "archivedAt" DATETIME;
ALTER TABLE "Grid" ADD COLUMN "mergedIntoId" TEXT;
ALTER TABLE "Building" ADD COLUMN "archivedAt" DATETIME;
ALTER TABLE "Building" ADD COLUMN "mergedIntoId" TEXT;
ALTER TABLE "Unit" ADD COLUMN "archivedAt" DATETIME;
ALTER TABLE "Unit" ADD COLUMN "mergedIntoId" TEXT;
ALTER TABLE "Organization" ADD COLUMN "archivedAt" DATETIME;

-- 户: homes in a unit.
CREATE TABLE "Household" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "unitId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "archivedAt" DATETIME,
    "mergedIntoId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Household_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Household_unitId_name_key" ON "Household"("unitId", "name");

-- 街道: street offices and their super-users.
CREATE TABLE "District" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "city" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "District_city_name_key" ON "District"("city", "name");

ALTER TABLE "Community" ADD COLUMN "districtId" TEXT REFERENCES "District" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "User" ADD COLUMN "districtId" TEXT REFERENCES "District" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A member's home and whether they may act for their organisation.
ALTER TABLE "Membership" ADD COLUMN "householdId" TEXT REFERENCES "Household" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Membership" ADD COLUMN "actsForOrganization" BOOLEAN NOT NULL DEFAULT false;

-- The place a resident seat represents.
ALTER TABLE "CouncilSeat" ADD COLUMN "gridId" TEXT REFERENCES "Grid" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "CouncilSeat" ADD COLUMN "buildingId" TEXT REFERENCES "Building" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

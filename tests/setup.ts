// Each test file gets its own database, migrated, before any app module opens it
// (Vitest runs files in separate processes: see vite.config.ts): a SQLite file, or
// with YISHI_TEST_DATABASE=postgresql a database of its own on YISHI_TEST_POSTGRES_URL.
import { afterAll } from "vitest";
import { createPostgresDatabase, dropPostgresDatabase, dropServerDatabases, freshSqliteFile, onPostgres } from "./fixtures/database";

process.env.SESSION_SECRET = "vitest-secret";
if (onPostgres) {
  const url = await createPostgresDatabase("vitest");
  process.env.DATABASE_URL = url;
  const { migrateDatabase } = await import("../server/migrate");
  await migrateDatabase(url);
  afterAll(async () => {
    const { prisma } = await import("~/utils/db.server");
    await prisma.$disconnect();
    await dropPostgresDatabase(url);
    await dropServerDatabases(process.pid);
  });
} else {
  process.env.DATABASE_URL = `file:${freshSqliteFile("")}`;
  const { migrate } = await import("../server/migrate");
  migrate();
}

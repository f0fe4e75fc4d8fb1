// Each test file gets its own SQLite database, migrated, before any app module
// opens it (Vitest runs files in separate processes: see vite.config.ts).
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

const dir = path.resolve("tmp/vitest");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${process.pid}-${Date.now()}.db`);
for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
process.env.DATABASE_URL = `file:${file}`;
process.env.SESSION_SECRET = "vitest-secret";

const { migrate } = await import("../server/migrate");
migrate();

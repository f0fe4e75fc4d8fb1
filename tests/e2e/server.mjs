// Starts the production build for the end-to-end tests (playwright.config.ts →
// webServer) on a brand-new SQLite file, so every run begins from the seeded
// demo community and nothing a previous run typed. Needs `npm run build` first.
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(root);

const serverEntry = path.join(root, "build/server.js");
if (!existsSync(serverEntry)) {
  console.error("[e2e] build/server.js is missing: run `npm run build` first (`npm test` does it in pretest).");
  process.exit(1);
}

const url = process.env.DATABASE_URL ?? "";
if (!url.startsWith("file:")) {
  console.error(`[e2e] DATABASE_URL must be a file: URL for the throwaway test database (got "${url}")`);
  process.exit(1);
}
const dbFile = path.resolve(url.slice("file:".length).split("?")[0]);
// Only ever delete a throwaway database under ./tmp, never a real one.
const scratch = path.join(root, "tmp") + path.sep;
if (!dbFile.startsWith(scratch)) {
  console.error(`[e2e] refusing to reset ${dbFile}: the e2e database must live under ${scratch}`);
  process.exit(1);
}
for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(dbFile + suffix, { force: true });
console.log(`[e2e] fresh database at ${path.relative(root, dbFile)}`);

// The server migrates and seeds the empty file, then listens on PORT.
await import(pathToFileURL(serverEntry).href);

// `npm run test:postgres`: the model and integration suites again, on PostgreSQL
// (tests/setup.ts gives each file, and tests/fixtures/server.ts each server, a database of
// its own on YISHI_TEST_POSTGRES_URL). npm test runs it; CI sets the URL (.ci/run).
import { spawnSync } from "node:child_process";

if (!process.env.YISHI_TEST_POSTGRES_URL) {
  console.log("YISHI_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run (CI sets it; see docs/decisions/0010-postgresql.md)");
  process.exit(0);
}

// SQLite's own machinery, files that never open a database, and the two-node and deployment tests (always on PostgreSQL).
const notOnPostgres = [
  "migrate",
  "sqlite-adapter",
  "postgres-schema",
  "multi-node-postgres",
  "deploy-topology",
  "deploy-files",
  "i18n",
  "event-limits",
  "room",
  "room-fuzz",
];
const args = ["vitest", "run", ...notOnPostgres.flatMap((name) => ["--exclude", `tests/${name}.test.ts`]), ...process.argv.slice(2)];
const result = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, YISHI_TEST_DATABASE: "postgresql" } });
process.exit(result.status ?? 1);

import { mkdirSync } from "node:fs";
import path from "node:path";
import { env } from "./env.server";

/** The database the whole app uses: DATABASE_URL, or ./data/yishi.db beside the repository. */
export function databaseUrl(): string {
  return env().DATABASE_URL;
}

export type DatabaseProvider = "sqlite" | "postgresql";

/** SQLite for a file: URL (the embedded default), PostgreSQL for postgres:// or postgresql:// (a city; docs/decisions/0010-postgresql.md). */
export function databaseProvider(url = databaseUrl()): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** Filesystem path of a file: URL, with its folder created so a fresh clone just works. */
export function sqlitePath(url = databaseUrl()): string {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file: URL here (got "${url.split(":")[0]}:…"); see docs/decisions/0002-database.md`);
  }
  const file = url.slice("file:".length).split("?")[0]!;
  if (file === ":memory:") return file;
  const resolved = path.resolve(file);
  mkdirSync(path.dirname(resolved), { recursive: true });
  return resolved;
}

/**
 * The folder for what lives beside the database (uploads, the generated session secret):
 * the SQLite file's folder, or ./data when the database is a PostgreSQL server (several
 * nodes then share UPLOADS_DIR and SESSION_SECRET; deploy/README.md).
 */
export function dataDir(url = databaseUrl()): string {
  if (databaseProvider(url) === "postgresql") return path.resolve("data");
  const file = sqlitePath(url);
  return file === ":memory:" ? path.resolve("data") : path.dirname(file);
}

import { mkdirSync } from "node:fs";
import path from "node:path";
import { env } from "./env.server";

/** The SQLite file the whole app uses: DATABASE_URL, or ./data/yishi.db beside the repository. */
export function databaseUrl(): string {
  return env().DATABASE_URL;
}

/** Filesystem path of a file: URL, with its folder created so a fresh clone just works. */
export function sqlitePath(url = databaseUrl()): string {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file: URL for the embedded default (got "${url.split(":")[0]}:…"); see docs/decisions/0002-database.md`);
  }
  const file = url.slice("file:".length).split("?")[0]!;
  if (file === ":memory:") return file;
  const resolved = path.resolve(file);
  mkdirSync(path.dirname(resolved), { recursive: true });
  return resolved;
}

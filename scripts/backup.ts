// `npm run backup -- [folder]`: an online, consistent backup of the database DATABASE_URL names,
// with the uploads, into <folder>/yishi-<time>/ (default folder: ./backups). The server may keep
// running: SQLite's online backup API copies a consistent snapshot page by page while writers go
// on; pg_dump reads one snapshot (REPEATABLE READ). Uploads are copied after the database, so
// every photo the backed-up rows name is there (a photo is saved before its row is written).
//
// `npm run restore -- <backup folder>`: puts it back into DATABASE_URL (stop the server first).
// SQLite: the file is replaced; PostgreSQL: pg_restore --clean into the database.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseProvider, databaseUrl, dataDir, sqlitePath } from "../app/utils/database-url.server";
import { env } from "../app/utils/env.server";

type Manifest = { provider: "sqlite" | "postgresql"; takenAt: string; database: string; uploads: boolean };

const uploadsDir = () => env().UPLOADS_DIR ?? path.join(dataDir(), "uploads");

export async function backup(folder = "backups"): Promise<string> {
  const url = databaseUrl();
  const provider = databaseProvider(url);
  const takenAt = new Date().toISOString();
  const dir = path.resolve(folder, `yishi-${takenAt.replace(/[:.]/g, "-")}`);
  mkdirSync(dir, { recursive: true });
  let database: string;
  if (provider === "sqlite") {
    database = "database.sqlite";
    const db = new Database(sqlitePath(url), { readonly: true, timeout: 10_000 });
    try {
      await db.backup(path.join(dir, database));
    } finally {
      db.close();
    }
  } else {
    database = "database.pgdump";
    execFileSync("pg_dump", ["--format=custom", "--no-owner", "--file", path.join(dir, database), url], { stdio: "inherit" });
  }
  const uploads = existsSync(uploadsDir());
  if (uploads) cpSync(uploadsDir(), path.join(dir, "uploads"), { recursive: true });
  const manifest: Manifest = { provider, takenAt, database, uploads };
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

export function restore(dir: string): void {
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
  const url = databaseUrl();
  if (databaseProvider(url) !== manifest.provider)
    throw new Error(`this backup is of a ${manifest.provider} database; DATABASE_URL names a ${databaseProvider(url)} one`);
  if (manifest.provider === "sqlite") {
    const file = sqlitePath(url);
    for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
    cpSync(path.join(dir, manifest.database), file);
  } else {
    execFileSync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", url, path.join(dir, manifest.database)], {
      stdio: "inherit",
    });
  }
  if (manifest.uploads) cpSync(path.join(dir, "uploads"), uploadsDir(), { recursive: true });
}

const [command, arg] = process.argv.slice(2);
if (command === "backup") console.log(`backup written to ${await backup(arg)}`);
else if (command === "restore") {
  if (!arg) throw new Error("usage: npm run restore -- <backup folder>");
  restore(path.resolve(arg));
  console.log(`restored ${arg} into ${databaseProvider()} (start the server again)`);
}

// Applies prisma/migrations at start, in the stock layout and the stock
// `_prisma_migrations` table, so `prisma migrate status|deploy` agree with it.
// SQLite only: a PostgreSQL deployment runs `prisma migrate deploy` instead.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { sqlitePath } from "../app/utils/database-url.server";
import { env } from "../app/utils/env.server";

const defaultDir = () => path.resolve(env().YISHI_MIGRATIONS_DIR ?? "prisma/migrations");

export function migrate(file = sqlitePath(), migrationsDir = defaultDir()): { applied: string[] } {
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const done = new Set(
      (
        db.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as {
          migration_name: string;
        }[]
      ).map((r) => r.migration_name),
    );
    const names = existsSync(migrationsDir)
      ? readdirSync(migrationsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
          .sort()
      : [];
    const applied: string[] = [];
    for (const name of names) {
      if (done.has(name)) continue;
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const started = new Date().toISOString();
      // Prisma's SQLite migrations rebuild tables (CREATE new_X, copy, DROP X, rename)
      // under PRAGMA foreign_keys=OFF, which SQLite ignores inside a transaction. With
      // keys on, DROP TABLE would cascade-delete every child row, so switch them off
      // around the transaction and check integrity before committing.
      db.pragma("foreign_keys = OFF");
      try {
        db.transaction(() => {
          db.exec(sql);
          const broken = db.pragma("foreign_key_check") as unknown[];
          if (broken.length > 0) throw new Error(`migration ${name} leaves ${broken.length} broken foreign keys; nothing was applied`);
          db.prepare(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
          ).run(randomUUID(), checksum, new Date().toISOString(), name, started);
        })();
      } finally {
        db.pragma("foreign_keys = ON");
      }
      applied.push(name);
    }
    return { applied };
  } finally {
    db.close();
  }
}

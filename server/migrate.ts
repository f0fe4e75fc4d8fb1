// Applies the migrations at start, in the stock layout and the stock
// `_prisma_migrations` table, so `prisma migrate status|deploy` agree with it:
// prisma/migrations on SQLite, prisma/postgres/migrations on PostgreSQL
// (docs/decisions/0010-postgresql.md).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, databaseUrl, sqlitePath } from "../app/utils/database-url.server";
import { env } from "../app/utils/env.server";

const defaultDir = () => path.resolve(env().YISHI_MIGRATIONS_DIR ?? "prisma/migrations");
const defaultPostgresDir = () => path.resolve(process.env.YISHI_POSTGRES_MIGRATIONS_DIR ?? "prisma/postgres/migrations");

/** Brings the database DATABASE_URL names up to date, whichever it is. */
export async function migrateDatabase(url = databaseUrl()): Promise<{ applied: string[] }> {
  return databaseProvider(url) === "postgresql" ? migratePostgres(url) : migrate(sqlitePath(url));
}

function migrationNames(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

/** Any 64-bit number the app owns: the advisory lock that lets one node migrate while the others wait. */
const MIGRATION_LOCK = 7_364_953_001;

/**
 * PostgreSQL: each migration in its own transaction (PostgreSQL's DDL is transactional, so a
 * failed one leaves nothing behind), under an advisory lock so two nodes starting together
 * do not both apply it. The table is the one `prisma migrate deploy` creates.
 */
export async function migratePostgres(url: string, migrationsDir = defaultPostgresDir()): Promise<{ applied: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = new Set(
      (
        await client.query<{ migration_name: string }>(
          `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        )
      ).rows.map((r) => r.migration_name),
    );
    const applied: string[] = [];
    for (const name of migrationNames(migrationsDir)) {
      if (done.has(name)) continue;
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const started = new Date();
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), checksum, name, started],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed; nothing of it was applied: ${(error as Error).message}`);
      }
      applied.push(name);
    }
    return { applied };
  } finally {
    await client.end();
  }
}

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
    const names = migrationNames(migrationsDir);
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

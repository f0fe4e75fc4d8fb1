// Keeps PostgreSQL in step with prisma/schema.prisma (docs/decisions/0010-postgresql.md):
//
//   npm run db:postgres-migration -- <name>   derive prisma/postgres/schema.prisma, generate its
//                                              client, write the next PostgreSQL migration (if any)
//   npm run db:postgres-migration -- --check  exit 1 if the schema copy is stale or the migrations
//                                              folder does not produce it (drift)
//
// Needs a PostgreSQL server where it may create a throwaway shadow database: YISHI_POSTGRES_URL,
// YISHI_TEST_POSTGRES_URL or a postgres DATABASE_URL (prisma.postgres.config.ts).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { POSTGRES_SCHEMA, checkPostgresSchema, writePostgresSchema } from "./postgres-schema";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MIGRATIONS = "prisma/postgres/migrations";
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");

function shadowUrl(): string {
  const url = [process.env.YISHI_POSTGRES_URL, process.env.YISHI_TEST_POSTGRES_URL, process.env.DATABASE_URL].find((u) => u && /^postgres(ql)?:\/\//.test(u));
  if (!url)
    throw new Error("set YISHI_POSTGRES_URL to a PostgreSQL server where a shadow database may be created, e.g. postgresql://postgres@127.0.0.1:5432/postgres");
  return url;
}

/** The SQL that brings a database migrated with every folder in prisma/postgres/migrations to the schema; "" when none. */
export function pendingSql(): string {
  const url = shadowUrl();
  const result = spawnSync(
    prismaBin,
    [
      "migrate",
      "diff",
      "--config",
      "prisma.postgres.config.ts",
      "--from-migrations",
      MIGRATIONS,
      "--to-schema-datamodel",
      POSTGRES_SCHEMA,
      // No --shadow-database-url: with an adapter in the config the CLI refuses it; PrismaPg
      // creates (and drops) a shadow database on the server YISHI_POSTGRES_URL names.
      "--script",
    ],
    { cwd: root, env: { ...process.env, YISHI_POSTGRES_URL: url }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`prisma migrate diff failed:\n${result.stderr}${result.stdout}`);
  const sql = result.stdout;
  return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
}

function timestamp(): string {
  return new Date().toISOString().replace(/\D/g, "").slice(0, 14);
}

function main(args: string[]) {
  if (args.includes("--check")) {
    const stale = checkPostgresSchema();
    if (stale) throw new Error(stale);
    const sql = pendingSql();
    if (sql) throw new Error(`${MIGRATIONS} does not produce ${POSTGRES_SCHEMA}; run \`npm run db:postgres-migration -- <name>\`. Missing:\n${sql}`);
    console.log(`${POSTGRES_SCHEMA} and ${MIGRATIONS} agree with prisma/schema.prisma`);
    return;
  }
  const name = args.find((a) => !a.startsWith("-"));
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:postgres-migration -- <name_in_snake_case>");
  console.log(writePostgresSchema() ? `wrote ${POSTGRES_SCHEMA}` : `${POSTGRES_SCHEMA} already up to date`);
  execFileSync(prismaBin, ["generate", "--config", "prisma.postgres.config.ts"], { cwd: root, stdio: "inherit" });
  const sql = pendingSql();
  if (!sql) {
    console.log(`no change for PostgreSQL: ${MIGRATIONS} already matches`);
    return;
  }
  const taken = new Set(readdirSync(path.join(root, MIGRATIONS)));
  let folder = `${timestamp()}_${name}`;
  while (taken.has(folder)) folder = `${String(Number(folder.slice(0, 14)) + 1)}_${name}`;
  mkdirSync(path.join(root, MIGRATIONS, folder));
  writeFileSync(path.join(root, MIGRATIONS, folder, "migration.sql"), sql);
  console.log(`wrote ${MIGRATIONS}/${folder}/migration.sql: check it, then commit it with ${POSTGRES_SCHEMA}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// Derives the PostgreSQL schema (prisma/postgres/schema.prisma) from the SQLite one
// (prisma/schema.prisma), which stays the only schema anyone edits. Prisma allows one
// provider per schema file, so PostgreSQL needs a copy; a copy kept by hand drifts.
//
//   tsx scripts/postgres-schema.ts          write prisma/postgres/schema.prisma
//   tsx scripts/postgres-schema.ts --check  exit 1 when the committed copy differs
//
// What changes: the datasource provider, the generator's output (its own client in
// app/generated/prisma-postgres) and the header. The models are copied verbatim: the
// schema uses no SQLite-only attributes (enumerations are strings, see 0002), and
// the derivation refuses one that appears, rather than guessing its translation.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgres/schema.prisma";

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.ts: do not edit.
// Edit prisma/schema.prisma, then run \`npm run db:postgres-migration -- <name>\`
// (docs/decisions/0010-postgresql.md).
`;

/** Native type attributes that exist only for SQLite (none today); the schema must not use them. */
const SQLITE_ONLY = /@db\.\w+/;

export function derivePostgresSchema(sqlite: string): string {
  const out = sqlite
    .replace(/(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(datasource\s+db\s*\{[^}]*?url\s*=\s*)"[^"]*"/, '$1"postgresql://yishi@localhost:5432/yishi"')
    .replace(/(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/, '$1"../../app/generated/prisma-postgres"');
  if (!/provider\s*=\s*"postgresql"/.test(out)) throw new Error(`${SQLITE_SCHEMA}: no datasource db with provider "sqlite" to translate`);
  if (!/prisma-postgres"/.test(out)) throw new Error(`${SQLITE_SCHEMA}: no generator client with an output to redirect`);
  const line = out.split("\n").find((l) => SQLITE_ONLY.test(l.replace(/\/\/.*$/, "")));
  if (line) throw new Error(`${SQLITE_SCHEMA}: "${line.trim()}" is a native type attribute; map it in scripts/postgres-schema.ts`);
  return HEADER + out;
}

/** Model name → sorted field names, for comparing two schemas by what they hold rather than by text. */
export function modelsOf(schema: string): Map<string, string[]> {
  const models = new Map<string, string[]>();
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const fields = m[2]!
      .split("\n")
      .map((l) => l.replace(/\/\/.*$/, "").trim())
      .filter((l) => l && !l.startsWith("@@"))
      .map((l) => l.split(/\s+/).slice(0, 2).join(" "));
    models.set(m[1]!, fields.sort());
  }
  return models;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function checkPostgresSchema(): string | null {
  const expected = derivePostgresSchema(readFileSync(path.join(root, SQLITE_SCHEMA), "utf8"));
  let actual = "";
  try {
    actual = readFileSync(path.join(root, POSTGRES_SCHEMA), "utf8");
  } catch {
    return `${POSTGRES_SCHEMA} is missing`;
  }
  if (actual === expected) return null;
  return `${POSTGRES_SCHEMA} is not what scripts/postgres-schema.ts derives from ${SQLITE_SCHEMA}: run \`npm run db:postgres-migration -- <name>\` and commit the result`;
}

export function writePostgresSchema(): boolean {
  const expected = derivePostgresSchema(readFileSync(path.join(root, SQLITE_SCHEMA), "utf8"));
  const file = path.join(root, POSTGRES_SCHEMA);
  let actual = "";
  try {
    actual = readFileSync(file, "utf8");
  } catch {
    /* first run */
  }
  if (actual === expected) return false;
  writeFileSync(file, expected);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const problem = checkPostgresSchema();
    if (problem) {
      console.error(problem);
      process.exit(1);
    }
    console.log(`${POSTGRES_SCHEMA} is up to date`);
  } else {
    console.log(writePostgresSchema() ? `wrote ${POSTGRES_SCHEMA}` : `${POSTGRES_SCHEMA} already up to date`);
  }
}

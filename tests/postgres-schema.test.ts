// The PostgreSQL schema is derived from prisma/schema.prisma (scripts/postgres-schema.ts);
// these fail when someone changes the models and forgets `npm run db:postgres-migration`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, checkPostgresSchema, derivePostgresSchema, modelsOf } from "../scripts/postgres-schema";
import { pendingSql } from "../scripts/postgres-migration";

describe("the PostgreSQL schema", () => {
  it("is what the script derives from the SQLite schema: same models, same fields", () => {
    const sqlite = readFileSync(SQLITE_SCHEMA, "utf8");
    const postgres = readFileSync(POSTGRES_SCHEMA, "utf8");
    expect(modelsOf(postgres)).toEqual(modelsOf(sqlite));
    expect(modelsOf(postgres).size).toBeGreaterThan(20);
    expect(checkPostgresSchema()).toBeNull();
  });

  it("differs from the SQLite schema only in provider, client folder and header", () => {
    const derived = derivePostgresSchema(
      'generator client {\n  output = "../app/generated/prisma"\n}\ndatasource db {\n  provider = "sqlite"\n  url = "file:x"\n}\nmodel A {\n  id Int @id\n}\n',
    );
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('output = "../../app/generated/prisma-postgres"');
    expect(modelsOf(derived)).toEqual(new Map([["A", ["id Int"]]]));
    expect(() => derivePostgresSchema('datasource db {\n  provider = "sqlite"\n}\n')).toThrow(/generator/);
    expect(() =>
      derivePostgresSchema('generator client {\n  output = "x"\n}\ndatasource db {\n  provider = "sqlite"\n}\nmodel A {\n  id String @id @db.Text\n}\n'),
    ).toThrow(/native type/);
  });

  // Needs a server for the shadow database: CI sets YISHI_TEST_POSTGRES_URL.
  it.skipIf(!process.env.YISHI_TEST_POSTGRES_URL)(
    "is what prisma/postgres/migrations produce (no drift)",
    () => {
      expect(pendingSql()).toBe("");
    },
    120_000,
  );
});

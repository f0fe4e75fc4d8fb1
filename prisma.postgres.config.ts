// The Prisma CLI for the PostgreSQL schema (derived from prisma/schema.prisma by
// scripts/postgres-schema.ts), without native engines, like prisma.config.ts.
// The URL comes from DATABASE_URL when it is a postgres one, else from
// YISHI_POSTGRES_URL (or YISHI_TEST_POSTGRES_URL): any server where the CLI may create
// a throwaway shadow database (`migrate diff --from-migrations`).
import { randomUUID } from "node:crypto";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// The WASM schema engine reads the catalogue through the adapter, which (6.19.3) refuses
// catalogue types it has no mapping for ("Column type 'name' could not be deserialized").
// pg returns their values as strings: call them text. Only in the CLI process.
const CATALOGUE_TEXT_TYPES: Record<number, number> = { 18: 25, 19: 25, 24: 25, 194: 25, 2205: 25, 1003: 1009 };
type RowDescription = { fields: { dataTypeID: number }[] };
const query = (pg as unknown as { Query: { prototype: { handleRowDescription(msg: RowDescription): void } } }).Query.prototype;
const handleRowDescription = query.handleRowDescription;
query.handleRowDescription = function (msg) {
  for (const f of msg.fields) f.dataTypeID = CATALOGUE_TEXT_TYPES[f.dataTypeID] ?? f.dataTypeID;
  return handleRowDescription.call(this, msg);
};

function postgresUrl(): string {
  const candidates = [process.env.DATABASE_URL, process.env.YISHI_POSTGRES_URL, process.env.YISHI_TEST_POSTGRES_URL];
  return candidates.find((u) => u && /^postgres(ql)?:\/\//.test(u)) ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "postgres", "schema.prisma"),
  migrations: { path: path.join("prisma", "postgres", "migrations") },
  async adapter() {
    const config = poolConfig(postgresUrl());
    const factory = new PrismaPg(config);
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => factory.connect(),
      // PrismaPg 6.19.3's own shadow database is dropped while its pool still holds a
      // connection ("is being accessed by other users"): make it here, drop it after the pool.
      async connectToShadowDb() {
        const database = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, "")}`;
        await admin(config, `CREATE DATABASE "${database}"`);
        const shadow = await new PrismaPg({ ...config, database }).connect();
        const dispose = shadow.dispose.bind(shadow);
        shadow.dispose = async () => {
          await dispose();
          await admin(config, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        };
        return shadow;
      },
    } as PrismaPg;
  },
});

async function admin(config: pg.PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Fields, not a connectionString: a shadow database is this config with another `database`,
// which a connectionString would win over.
function poolConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || "postgres",
    ssl: u.searchParams.get("sslmode") === "require" ? { rejectUnauthorized: false } : undefined,
  };
}

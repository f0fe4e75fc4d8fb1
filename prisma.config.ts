// The Prisma CLI runs here without native engines (they cannot download on
// every machine we support): the WASM schema engine drives better-sqlite3.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { sqlitePath } from "./app/utils/database-url.server";

type Factory = InstanceType<typeof PrismaBetterSQLite3>;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;

// The shadow database replays each migration.sql with one executeRaw, which
// better-sqlite3's prepare() rejects when a file holds several statements.
function acceptScripts(adapter: Adapter): Adapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && /more than one statement/i.test(String((error as Error)?.message ?? JSON.stringify(error)))) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return adapter;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations"), seed: "tsx prisma/seed-cli.ts" },
  async adapter() {
    const factory = new PrismaBetterSQLite3({ url: `file:${sqlitePath()}` });
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => acceptScripts(await factory.connect()),
      connectToShadowDb: async () => acceptScripts(await factory.connectToShadowDb()),
    } as Factory;
  },
});

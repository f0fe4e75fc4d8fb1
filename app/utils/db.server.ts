import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { sqlitePath } from "./database-url";
import { singleton } from "./singleton.server";

export const prisma = singleton("prisma", () => {
  // timeout: wait for a writer in another process (seed, CLI) instead of failing at once.
  const adapter = new PrismaBetterSQLite3({ url: `file:${sqlitePath()}`, timeout: 10_000 });
  return new PrismaClient({ adapter });
});

export type Db = typeof prisma;

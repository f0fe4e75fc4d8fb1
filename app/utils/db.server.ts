import { PrismaClient } from "~/generated/prisma/client";
import { sqlitePath } from "./database-url.server";
import { singleton } from "./singleton.server";
import { sqliteAdapter } from "./sqlite-adapter.server";

export const prisma = singleton("prisma", () => {
  // timeout: wait for a writer in another process (seed, CLI) instead of failing at once.
  return new PrismaClient({ adapter: sqliteAdapter(sqlitePath()) });
});

export type Db = typeof prisma;

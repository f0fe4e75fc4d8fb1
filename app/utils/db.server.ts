import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/prisma-postgres/client";
import { databaseProvider, databaseUrl, sqlitePath } from "./database-url.server";
import { singleton } from "./singleton.server";
import { sqliteAdapter } from "./sqlite-adapter.server";

/** Which database this process runs on, from DATABASE_URL's scheme (docs/decisions/0010-postgresql.md). */
export const provider = databaseProvider();

/**
 * Connections per process. The group commits (ballots, Yjs updates) keep the number of
 * concurrent writers small; several nodes share the server's max_connections (100 by default).
 */
const POOL_SIZE = Number(process.env.YISHI_PG_POOL ?? 10);

export const prisma = singleton("prisma", () => {
  const url = databaseUrl();
  if (databaseProvider(url) === "postgresql") {
    // One client type for the whole app: the PostgreSQL client is generated from the same
    // models (prisma/postgres/schema.prisma is derived from prisma/schema.prisma, and CI
    // checks it), so every query the app writes has the same shape on both. The types
    // differ only in provider extras the app does not use (e.g. `mode: "insensitive"`),
    // which is why this one cast is sound.
    return new PostgresPrismaClient({
      adapter: new PrismaPg({ connectionString: url, max: POOL_SIZE }),
      // Waiting for a pooled connection counts toward maxWait.
      transactionOptions: { maxWait: 15_000, timeout: 30_000 },
    }) as unknown as PrismaClient;
  }
  // timeout: wait for a writer in another process (seed, CLI) instead of failing at once.
  return new PrismaClient({ adapter: sqliteAdapter(sqlitePath(url)) });
});

export type Db = typeof prisma;

/**
 * After deleting what must not survive (a secret vote's ballots and key): SQLite overwrites
 * deleted pages itself (secure_delete, set at start); PostgreSQL only marks the old row
 * versions dead, so VACUUM them now rather than whenever autovacuum gets to it. Outside any
 * transaction (VACUUM refuses to run in one). docs/decisions/0010-postgresql.md says what
 * VACUUM does and does not erase.
 */
export async function eraseDeletedRows(tables: string[]): Promise<void> {
  if (provider !== "postgresql") return;
  for (const t of tables) {
    if (!/^[A-Za-z]+$/.test(t)) throw new Error(`not a table name: ${t}`);
    await prisma.$executeRawUnsafe(`VACUUM "${t}"`);
  }
}

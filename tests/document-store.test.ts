// Runs the DocumentStore contract against every implementation. The
// cross-process race of the Prisma store (a second OS process appending and
// compacting) stays in tests/yjs-store.test.ts.
import { prisma } from "~/utils/db.server";
import { MemoryDocumentStore } from "../server/yjs/memory-store";
import { PrismaDocumentStore } from "../server/yjs/store";
import { documentStoreContract } from "./document-store.contract";
import { onPostgres } from "./fixtures/database";

documentStoreContract(`PrismaDocumentStore (${onPostgres ? "PostgreSQL" : "SQLite"})`, {
  create: () => new PrismaDocumentStore(prisma),
  reopen: () => new PrismaDocumentStore(prisma),
});

documentStoreContract("MemoryDocumentStore", {
  create: () => new MemoryDocumentStore(),
  // One process's memory is the storage: another "process" sees the same instance.
  reopen: (store) => store,
});

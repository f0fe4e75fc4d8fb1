// Where co-edited documents live: a snapshot plus the updates accepted since.
// The contract (tests/document-store.contract.ts, numbered) is what any backend must honour:
// append resolves only once the updates are committed, and compact may run in
// one process while another appends, without losing either's updates.
import * as Y from "yjs";
import { bytes } from "~/utils/bytes";
import { databaseProvider, type DatabaseProvider } from "~/utils/database-url.server";
import type { Db } from "~/utils/db.server";
import { sqliteDateTime, sqliteWriter, type SqliteWriter } from "~/utils/sqlite-writer.server";
import { foldUpdatesOffThread } from "./fold-thread";

export interface DocumentStore {
  /** Everything stored for a document, oldest first; empty for a new document. */
  load(name: string): Promise<Uint8Array[]>;
  /** Durably appends updates, in order; resolves after the commit. */
  append(name: string, updates: Uint8Array[]): Promise<void>;
  /** Folds the stored updates into one snapshot, from what is in the database rather than in memory. */
  compact(name: string): Promise<void>;
  /** How many updates are stored beside the snapshot. */
  pendingCount(name: string): Promise<number>;
}

/** The document was deleted while loaded (its agenda item left the agenda): nothing more can be stored for it. */
export class DocumentGone extends Error {
  constructor(readonly docName: string) {
    super(`document ${docName} no longer exists`);
  }
}

/**
 * Folds a snapshot and updates into one update through a Y.Doc, so the content
 * of deleted text is dropped (Yjs garbage collection, as in the loaded room)
 * rather than kept forever as Y.mergeUpdates would. Updates still waiting for
 * missing history are kept: Yjs encodes them with the state.
 */
export function foldUpdates(parts: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const part of parts) Y.applyUpdate(doc, part);
  });
  const folded = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return folded;
}

/** A document's stored parts as read on SQLite, and the ids a compaction swaps between. */
type SqliteRead = { parts: Uint8Array[]; compactedTo: number; lastId: number; found: boolean };

/**
 * On SQLite one writer at a time means update ids commit in id order. PostgreSQL's sequence
 * hands out ids before the commit, so id 41 may commit after id 42: a compaction that saw 42
 * and set compactedTo = 42 would hide 41 forever. There, an append holds a shared lock on the
 * document's row from before its ids are drawn until its commit, and a compaction takes the
 * row exclusively before it reads: it waits for every append in flight and folds only
 * settled updates; appends after it draw higher ids (docs/decisions/0010-postgresql.md).
 */
export class PrismaDocumentStore implements DocumentStore {
  /**
   * On SQLite, appends (the hot path: every edit waits for one before it is relayed) go through
   * a prepared statement on a connection of their own (sqlite-writer.server.ts); everything
   * else, and every call on PostgreSQL, through Prisma. `db` must be the client of DATABASE_URL's
   * file, which is what the process has (db.server.ts): the two connections share its lock.
   */
  private readonly writer: SqliteWriter | null;
  /** readSqlite's read transaction, made once. */
  private sqliteRead: ((name: string) => SqliteRead) | null = null;

  constructor(
    private readonly db: Db,
    private readonly provider: DatabaseProvider = databaseProvider(),
  ) {
    this.writer = sqliteWriter(provider);
  }

  async load(name: string): Promise<Uint8Array[]> {
    if (this.writer) {
      // The row is created here, not per append, so an append is one INSERT.
      await this.db.yDocument.upsert({ where: { name }, create: { name }, update: {}, select: { name: true } });
      return this.readSqlite(this.writer, name).parts;
    }
    const doc = await this.db.yDocument.upsert({ where: { name }, create: { name }, update: {}, select: { snapshot: true, compactedTo: true } });
    const updates = await this.db.yUpdate.findMany({
      where: { docName: name, id: { gt: doc.compactedTo } },
      orderBy: { id: "asc" },
      select: { data: true },
    });
    return [...(doc.snapshot ? [bytes(doc.snapshot)] : []), ...updates.map((u) => bytes(u.data))];
  }

  async append(name: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return;
    if (this.writer) return this.appendSqlite(this.writer, name, updates);
    try {
      const insert = this.db.yUpdate.createMany({ data: updates.map((data) => ({ docName: name, data: bytes(data) })) });
      if (this.provider === "postgresql") await this.db.$transaction([this.db.$executeRaw`SELECT 1 FROM "YDocument" WHERE "name" = ${name} FOR SHARE`, insert]);
      else await insert;
    } catch (error) {
      // P2003: the YDocument row is gone (foreign key), deleted with its agenda item.
      if ((error as { code?: string }).code === "P2003") throw new DocumentGone(name);
      throw error;
    }
  }

  private async appendSqlite(writer: SqliteWriter, name: string, updates: Uint8Array[]): Promise<void> {
    const createdAt = sqliteDateTime();
    try {
      await writer.write((w) => {
        const insert = w.statement(`INSERT INTO "YUpdate" ("docName", "data", "createdAt") VALUES (?, ?, ?)`);
        for (const update of updates) insert.run(name, update, createdAt);
      });
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY") throw new DocumentGone(name);
      throw error;
    }
  }

  /**
   * SQLite: the snapshot and the tail, read in one read transaction on the writer's connection.
   * Not through Prisma: its SQLite adapter turns every blob into an array of numbers
   * (Array.from) and back, which for a 100 000-keystroke document's ~300 KB snapshot held the
   * event loop ~50 ms per load and per compaction (profiled, issue 16): every relay waited.
   */
  private readSqlite(writer: SqliteWriter, name: string): SqliteRead {
    const read = (this.sqliteRead ??= writer.db.transaction((docName: string): SqliteRead => {
      const doc = writer.statement(`SELECT "snapshot", "compactedTo" FROM "YDocument" WHERE "name" = ?`).get(docName) as
        { snapshot: Uint8Array | null; compactedTo: number } | undefined;
      if (!doc) return { parts: [], compactedTo: 0, lastId: 0, found: false };
      const rows = writer.statement(`SELECT "id", "data" FROM "YUpdate" WHERE "docName" = ? AND "id" > ? ORDER BY "id" ASC`).all(docName, doc.compactedTo) as {
        id: number;
        data: Uint8Array;
      }[];
      // Plain Uint8Array views of the buffers better-sqlite3 returns (no copy), as Prisma gives them.
      const parts = [...(doc.snapshot ? [bytes(doc.snapshot)] : []), ...rows.map((r) => bytes(r.data))];
      return { parts, compactedTo: doc.compactedTo, lastId: rows[rows.length - 1]?.id ?? doc.compactedTo, found: true };
    }));
    return read(name);
  }

  async compact(name: string): Promise<void> {
    if (this.provider === "postgresql") return this.compactSettled(name);
    if (this.writer) return this.compactSqlite(this.writer, name);
    // Read outside any transaction, then swap in one short write transaction
    // guarded on compactedTo: a compaction racing another (in this process or
    // another) changes nothing rather than deleting updates it did not fold in.
    const doc = await this.db.yDocument.findUnique({ where: { name }, select: { snapshot: true, compactedTo: true } });
    if (!doc) return;
    const updates = await this.db.yUpdate.findMany({
      where: { docName: name, id: { gt: doc.compactedTo } },
      orderBy: { id: "asc" },
      select: { id: true, data: true },
    });
    if (updates.length === 0) return;
    const parts = [...(doc.snapshot ? [bytes(doc.snapshot)] : []), ...updates.map((u) => bytes(u.data))];
    const lastId = updates[updates.length - 1]!.id;
    // Folded on a worker thread, between the read and the guarded swap: relaying goes on meanwhile.
    const snapshot = await foldUpdatesOffThread(parts);
    await this.db.$transaction([
      this.db.yDocument.updateMany({
        where: { name, compactedTo: doc.compactedTo },
        data: { snapshot: bytes(snapshot), compactedTo: lastId },
      }),
      this.db.$executeRaw`DELETE FROM "YUpdate" WHERE "docName" = ${name} AND "id" <= ${lastId}
        AND EXISTS (SELECT 1 FROM "YDocument" WHERE "name" = ${name} AND "compactedTo" = ${lastId})`,
    ]);
  }

  /**
   * SQLite, on the writer's connection (see readSqlite): the same read, off-thread fold and
   * swap guarded on compactedTo as through Prisma, without the snapshot crossing Prisma.
   */
  private async compactSqlite(writer: SqliteWriter, name: string): Promise<void> {
    const { parts, compactedTo, lastId, found } = this.readSqlite(writer, name);
    if (!found || lastId === compactedTo) return;
    const snapshot = await foldUpdatesOffThread(parts);
    await writer.write((w) => {
      const swapped = w
        .statement(`UPDATE "YDocument" SET "snapshot" = ?, "compactedTo" = ?, "updatedAt" = ? WHERE "name" = ? AND "compactedTo" = ?`)
        .run(snapshot, lastId, sqliteDateTime(), name, compactedTo);
      // Another compaction got there first: it folded (at least) these, and deletes what it folded.
      if (swapped.changes === 0) return;
      w.statement(`DELETE FROM "YUpdate" WHERE "docName" = ? AND "id" <= ?`).run(name, lastId);
    });
  }

  /** PostgreSQL: read and swap under the document's row lock, so every update read is settled (see the class). */
  private async compactSettled(name: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const locked = await tx.$executeRaw`SELECT 1 FROM "YDocument" WHERE "name" = ${name} FOR UPDATE`;
      if (locked === 0) return;
      const doc = await tx.yDocument.findUniqueOrThrow({ where: { name }, select: { snapshot: true, compactedTo: true } });
      const updates = await tx.yUpdate.findMany({
        where: { docName: name, id: { gt: doc.compactedTo } },
        orderBy: { id: "asc" },
        select: { id: true, data: true },
      });
      if (updates.length === 0) return;
      const parts = [...(doc.snapshot ? [bytes(doc.snapshot)] : []), ...updates.map((u) => bytes(u.data))];
      const lastId = updates[updates.length - 1]!.id;
      // Off the main thread, under the row lock: appends to this document wait, others' edits are relayed meanwhile.
      await tx.yDocument.update({ where: { name }, data: { snapshot: bytes(await foldUpdatesOffThread(parts)), compactedTo: lastId } });
      await tx.yUpdate.deleteMany({ where: { docName: name, id: { lte: lastId } } });
    });
  }

  async pendingCount(name: string): Promise<number> {
    const doc = await this.db.yDocument.findUnique({ where: { name }, select: { compactedTo: true } });
    return this.db.yUpdate.count({ where: { docName: name, id: { gt: doc?.compactedTo ?? 0 } } });
  }
}

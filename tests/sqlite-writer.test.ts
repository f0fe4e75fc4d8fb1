// The Yjs append path on SQLite (app/utils/sqlite-writer.server.ts): a prepared statement on a
// second connection, serialized with Prisma's connection. What it must not break: Prisma's
// transactions (a deferred BEGIN fails at once if another connection wrote in between its read
// and its write), the rows Prisma reads back, durability settings, and DocumentGone.
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { prisma } from "~/utils/db.server";
import { sqliteWriter } from "~/utils/sqlite-writer.server";
import { DocumentGone, PrismaDocumentStore } from "../server/yjs/store";
import { edit, textOf } from "./document-store.contract";
import { onPostgres } from "./fixtures/database";

describe.skipIf(onPostgres)("the SQLite writer for Yjs appends", () => {
  const store = new PrismaDocumentStore(prisma);

  it("writes rows Prisma reads back like its own, with their time", async () => {
    const name = "appender:rows";
    await store.load(name);
    const before = Date.now();
    const doc = new Y.Doc();
    await store.append(name, [edit(doc, "一"), edit(doc, "二")]);
    const rows = await prisma.yUpdate.findMany({ where: { docName: name }, orderBy: { id: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.id).toBeLessThan(rows[1]!.id);
    for (const row of rows) {
      expect(row.createdAt).toBeInstanceOf(Date);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(row.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect(textOf(await store.load(name))).toBe("一二");
  });

  it("commits with synchronous = FULL on its own connection", () => {
    const db = sqliteWriter("sqlite")!.db;
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  it("waits for an open Prisma transaction instead of writing between its read and its write", async () => {
    const name = "appender:tx";
    await store.load(name);
    await prisma.yDocument.create({ data: { name: "appender:tx-other" } });
    const order: string[] = [];
    let appending: Promise<void> | null = null;
    await prisma.$transaction(async (tx) => {
      await tx.yDocument.findUnique({ where: { name } }); // a read: SQLite's deferred BEGIN now holds a snapshot
      appending = store.append(name, [edit(new Y.Doc(), "写")]).then(() => void order.push("append"));
      await new Promise((r) => setTimeout(r, 50));
      order.push("transaction writes");
      // Would fail with SQLITE_BUSY (snapshot) had the append committed in between.
      await tx.yDocument.update({ where: { name: "appender:tx-other" }, data: { compactedTo: 1 } });
    });
    await appending;
    expect(order).toEqual(["transaction writes", "append"]);
    expect(textOf(await store.load(name))).toBe("写");
    expect((await prisma.yDocument.findUniqueOrThrow({ where: { name: "appender:tx-other" } })).compactedTo).toBe(1);
  });

  it("keeps appends and Prisma writes in the order they were asked for when both are busy", async () => {
    const name = "appender:mixed";
    await store.load(name);
    const doc = new Y.Doc();
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      work.push(store.append(name, [edit(doc, String(i % 10))]));
      work.push(prisma.yDocument.update({ where: { name }, data: { compactedTo: 0 } }));
      if (i % 5 === 0) work.push(store.compact(name));
    }
    await Promise.all(work);
    expect(textOf(await store.load(name))).toBe("01234567890123456789");
  });

  it("rejects with DocumentGone once the document's row is deleted", async () => {
    const name = "appender:gone";
    await store.load(name);
    await prisma.yDocument.delete({ where: { name } });
    await expect(store.append(name, [edit(new Y.Doc(), "x")])).rejects.toBeInstanceOf(DocumentGone);
    expect(await prisma.yUpdate.count({ where: { docName: name } })).toBe(0);
  });

  it("writes nothing of a batch that fails half-way", async () => {
    const name = "appender:atomic";
    await store.load(name);
    // null violates NOT NULL on the second row: the first must not stay either.
    await expect(store.append(name, [edit(new Y.Doc(), "a"), null as unknown as Uint8Array])).rejects.toThrow();
    expect(await prisma.yUpdate.count({ where: { docName: name } })).toBe(0);
  });
});

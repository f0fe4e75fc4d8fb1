// The contract every DocumentStore honours (in the spirit of tldraw sync-core's
// storage contract tests). Numbered so a failure names the clause it breaks;
// tests/document-store.test.ts runs it against every implementation. A new
// backend (PostgreSQL, say) passes this suite before the Room may use it.
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { DocumentStore } from "../server/yjs/store";

export type StoreFactory = {
  /** A store over fresh (or at least not yet used by this suite) storage. */
  create(): DocumentStore | Promise<DocumentStore>;
  /** A second store over the same storage as `store` (another process, a restart). */
  reopen(store: DocumentStore): DocumentStore | Promise<DocumentStore>;
};

/** One edit to a doc, as the update Yjs would send for it. */
export function edit(doc: Y.Doc, text: string): Uint8Array {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on("update", on);
  doc.getText("t").insert(doc.getText("t").length, text);
  doc.off("update", on);
  return Y.mergeUpdates(updates);
}

export function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText("t").toString();
}

let unique = 0;
const docName = (what: string) => `contract:${what}:${Date.now()}:${unique++}`;

export function documentStoreContract(label: string, factory: StoreFactory): void {
  describe(`DocumentStore contract: ${label}`, () => {
    it("1. load of an unknown document is empty", async () => {
      const store = await factory.create();
      expect(await store.load(docName("unknown"))).toEqual([]);
      expect(await store.pendingCount(docName("unknown"))).toBe(0);
    });

    it("2. append then load returns the updates in order", async () => {
      const store = await factory.create();
      const name = docName("order");
      await store.load(name);
      const doc = new Y.Doc();
      const updates = ["一", "二", "三", "四"].map((s) => edit(doc, s));
      await store.append(name, [updates[0]!]);
      await store.append(name, updates.slice(1));
      const loaded = await store.load(name);
      expect(loaded).toEqual(updates);
      expect(textOf(loaded)).toBe("一二三四");
    });

    it("3. an append is visible to another store over the same storage once it resolves", async () => {
      const store = await factory.create();
      const name = docName("durable");
      await store.load(name);
      await store.append(name, [edit(new Y.Doc(), "持久")]);
      const other = await factory.reopen(store);
      expect(textOf(await other.load(name))).toBe("持久");
    });

    it("4. appending nothing stores nothing", async () => {
      const store = await factory.create();
      const name = docName("empty");
      await store.load(name);
      await store.append(name, []);
      expect(await store.load(name)).toEqual([]);
      expect(await store.pendingCount(name)).toBe(0);
    });

    it("5. documents are independent", async () => {
      const store = await factory.create();
      const [a, b] = [docName("a"), docName("b")];
      await store.load(a);
      await store.load(b);
      await store.append(a, [edit(new Y.Doc(), "甲")]);
      await store.append(b, [edit(new Y.Doc(), "乙")]);
      expect(textOf(await store.load(a))).toBe("甲");
      expect(textOf(await store.load(b))).toBe("乙");
    });

    it("6. pendingCount counts the updates stored beside the snapshot", async () => {
      const store = await factory.create();
      const name = docName("pending");
      await store.load(name);
      const doc = new Y.Doc();
      await store.append(name, [edit(doc, "a"), edit(doc, "b")]);
      expect(await store.pendingCount(name)).toBe(2);
      await store.compact(name);
      expect(await store.pendingCount(name)).toBe(0);
      await store.append(name, [edit(doc, "c")]);
      expect(await store.pendingCount(name)).toBe(1);
    });

    it("7. compaction keeps the content and leaves one snapshot", async () => {
      const store = await factory.create();
      const name = docName("compact");
      await store.load(name);
      const doc = new Y.Doc();
      await store.append(
        name,
        ["议", "事", "会"].map((s) => edit(doc, s)),
      );
      await store.compact(name);
      const loaded = await store.load(name);
      expect(loaded).toHaveLength(1);
      expect(textOf(loaded)).toBe("议事会");
    });

    it("8. compaction with nothing to fold, or of an unknown document, changes nothing", async () => {
      const store = await factory.create();
      const name = docName("idle");
      await store.load(name);
      await store.append(name, [edit(new Y.Doc(), "x")]);
      await store.compact(name);
      const before = await store.load(name);
      await store.compact(name);
      expect(await store.load(name)).toEqual(before);
      await store.compact(docName("never-loaded"));
    });

    it("9. appends after a compaction come after the snapshot, in order", async () => {
      const store = await factory.create();
      const name = docName("after");
      await store.load(name);
      const doc = new Y.Doc();
      await store.append(name, [edit(doc, "一"), edit(doc, "二")]);
      await store.compact(name);
      const later = [edit(doc, "三"), edit(doc, "四")];
      await store.append(name, later);
      const loaded = await store.load(name);
      expect(loaded).toHaveLength(3);
      expect(loaded.slice(1)).toEqual(later);
      expect(textOf(loaded)).toBe("一二三四");
    });

    it("10. a compaction running while updates are appended loses none of them", async () => {
      const store = await factory.create();
      const name = docName("race");
      await store.load(name);
      const doc = new Y.Doc();
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) {
        writes.push(store.append(name, [edit(doc, String(i % 10))]));
        if (i % 5 === 0) writes.push(store.compact(name));
      }
      await Promise.all(writes);
      expect(textOf(await store.load(name))).toBe(doc.getText("t").toString());
      await store.compact(name);
      expect(textOf(await store.load(name))).toBe(doc.getText("t").toString());
    });

    it("11. two compactions racing (two processes) lose nothing and leave a loadable document", async () => {
      const store = await factory.create();
      const other = await factory.reopen(store);
      const name = docName("twice");
      await store.load(name);
      const doc = new Y.Doc();
      await store.append(
        name,
        ["a", "b", "c"].map((s) => edit(doc, s)),
      );
      await Promise.all([store.compact(name), other.compact(name), store.append(name, [edit(doc, "d")])]);
      expect(textOf(await store.load(name))).toBe("abcd");
      expect(textOf(await other.load(name))).toBe("abcd");
    });

    it("13. compaction drops the content of deleted text, keeping what remains", async () => {
      const store = await factory.create();
      const name = docName("deleted");
      await store.load(name);
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      doc.getText("t").insert(0, "留下");
      doc.getText("t").insert(2, "删".repeat(100_000));
      doc.getText("t").delete(2, 100_000);
      await store.append(name, updates);
      await store.compact(name);
      const loaded = await store.load(name);
      expect(textOf(loaded)).toBe("留下");
      expect(loaded.reduce((n, u) => n + u.length, 0)).toBeLessThan(1000);
    });

    it("12. what load returns is the caller's: changing it changes nothing stored", async () => {
      const store = await factory.create();
      const name = docName("copy");
      await store.load(name);
      await store.append(name, [edit(new Y.Doc(), "原文")]);
      const first = await store.load(name);
      first[0]!.fill(0);
      expect(textOf(await store.load(name))).toBe("原文");
    });
  });
}

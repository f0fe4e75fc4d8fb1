// A document whose stored tail is long (a server stopped before it compacted, rows from an older
// version) is compacted in the background as soon as a room loads it, so the next load reads a
// snapshot and a short tail (issue 16: a 100 000-update document loads fast).
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MemoryDocumentStore } from "../server/yjs/memory-store";
import { COMPACT_EVERY, Room } from "../server/yjs/room";

async function storeWithTail(count: number): Promise<MemoryDocumentStore> {
  const store = new MemoryDocumentStore();
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const text = doc.getText("t");
  for (let i = 0; i < count; i++) text.insert(text.length, "议");
  await store.append("doc", updates);
  return store;
}

describe("a room that loads a long stored tail", () => {
  it("compacts it in the background, keeping every keystroke", async () => {
    const store = await storeWithTail(COMPACT_EVERY + 100);
    expect(await store.pendingCount("doc")).toBe(COMPACT_EVERY + 100);
    const room = new Room("doc", store, {}, await store.load("doc"), () => {});
    expect(room.doc.getText("t").length).toBe(COMPACT_EVERY + 100);
    await expect.poll(() => store.pendingCount("doc"), { timeout: 5000 }).toBe(0);
    const reloaded = new Y.Doc();
    for (const u of await store.load("doc")) Y.applyUpdate(reloaded, u);
    expect(reloaded.getText("t").length).toBe(COMPACT_EVERY + 100);
    expect((await store.load("doc")).length).toBe(1);
  });

  it("leaves a short tail alone until it grows", async () => {
    const store = await storeWithTail(10);
    new Room("doc", store, {}, await store.load("doc"), () => {});
    await new Promise((r) => setTimeout(r, 100));
    expect(await store.pendingCount("doc")).toBe(10);
  });
});

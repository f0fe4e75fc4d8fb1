// The protocol rules of one document room, against the real SQLite store.
import { describe, expect, it } from "vitest";
import * as decoding from "lib0/decoding";
import * as Y from "yjs";
import { prisma } from "~/utils/db.server";
import { Room, type Peer } from "../server/yjs/room";
import { PrismaDocumentStore, type DocumentStore } from "../server/yjs/store";
import { MESSAGE_SYNC } from "../server/yjs/protocol";

/** The real store, with a gate a test opens to decide when commits finish. */
class GatedStore implements DocumentStore {
  private inner = new PrismaDocumentStore(prisma);
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};
  appends = 0;
  close() {
    this.gate = new Promise((r) => (this.open = r));
  }
  release() {
    this.open();
  }
  load(name: string) {
    return this.inner.load(name);
  }
  async append(name: string, updates: Uint8Array[]) {
    this.appends++;
    await this.gate;
    return this.inner.append(name, updates);
  }
  compact(name: string) {
    return this.inner.compact(name);
  }
  pendingCount(name: string) {
    return this.inner.pendingCount(name);
  }
}

function peer(name: string, readOnly = false) {
  const received: { kind: string; data: Uint8Array }[] = [];
  const p: Peer & { received: typeof received; closedWith?: number } = {
    user: { id: name, name },
    readOnly,
    received,
    send(message) {
      const d = decoding.createDecoder(message);
      const type = decoding.readVarUint(d);
      const kind = type === MESSAGE_SYNC ? ["step1", "step2", "update"][decoding.readVarUint(d)]! : "awareness";
      received.push({ kind, data: message });
    },
    close(code) {
      p.closedWith = code;
    },
  };
  return p;
}

function editUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

async function openRoom(store: DocumentStore, name: string) {
  return new Room(name, store, {}, await store.load(name), () => {});
}

describe("Room", () => {
  it("relays an update only after the store has committed it", async () => {
    const store = new GatedStore();
    const room = await openRoom(store, "room:relay");
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    b.received.length = 0;
    store.close();
    room.acceptUpdate(a, editUpdate("你好"));
    await new Promise((r) => setTimeout(r, 50));
    expect(store.appends).toBe(1);
    expect(b.received.filter((m) => m.kind === "update")).toHaveLength(0);
    // A newcomer's sync reply reflects the update too, so it must wait as well.
    const c = peer("c");
    room.join(c);
    room.answerSyncStep1(c, Y.encodeStateVector(new Y.Doc()));
    expect(c.received.filter((m) => m.kind === "step2")).toHaveLength(0);
    store.release();
    await room.durable();
    expect(b.received.filter((m) => m.kind === "update")).toHaveLength(1);
    expect(c.received.filter((m) => m.kind === "step2")).toHaveLength(1);
    expect(a.received.filter((m) => m.kind === "update")).toHaveLength(0); // not echoed to its author
    expect(await store.pendingCount("room:relay")).toBe(1);
  });

  it("commits updates that arrive during a write together, in order", async () => {
    const store = new GatedStore();
    const room = await openRoom(store, "room:batch");
    const a = peer("a");
    room.join(a);
    store.close();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    for (const ch of "一二三四五") doc.getText("t").insert(doc.getText("t").length, ch);
    for (const u of updates) room.acceptUpdate(a, u);
    store.release();
    await room.durable();
    expect(store.appends).toBe(2); // the first alone, the other four in one commit
    const stored = new Y.Doc();
    for (const u of await store.load("room:batch")) Y.applyUpdate(stored, u);
    expect(stored.getText("t").toString()).toBe("一二三四五");
  });

  it("rejects a malformed update without changing the document", async () => {
    const room = await openRoom(new PrismaDocumentStore(prisma), "room:bad");
    const a = peer("a");
    room.join(a);
    expect(() => room.acceptUpdate(a, new Uint8Array([7, 7, 7, 200, 1]))).toThrow();
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(Y.encodeStateAsUpdate(new Y.Doc()));
    expect(await new PrismaDocumentStore(prisma).pendingCount("room:bad")).toBe(0);
  });

  it("closes every client when the database refuses a write, and keeps nothing unstored", async () => {
    let emptied = false;
    const failing: DocumentStore = { ...new PrismaDocumentStore(prisma), load: async () => [], append: async () => Promise.reject(new Error("disk full")), compact: async () => {}, pendingCount: async () => 0 };
    const room = new Room("room:fail", failing, {}, [], () => (emptied = true));
    const [a, b] = [peer("a"), peer("b")];
    room.join(a);
    room.join(b);
    room.acceptUpdate(a, editUpdate("x"));
    await new Promise((r) => setTimeout(r, 10));
    expect(a.closedWith).toBe(1011);
    expect(b.closedWith).toBe(1011);
    expect(b.received.filter((m) => m.kind === "update")).toHaveLength(0);
    expect(emptied).toBe(true);
  });
});
